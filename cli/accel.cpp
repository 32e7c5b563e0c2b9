#include "accel.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

namespace kiln::cli {

namespace fs = std::filesystem;

AccelChoice detect_accel()
{
    std::error_code ec;
    bool pvm = fs::exists("/sys/module/kvm_pvm", ec);
    bool hardware = fs::exists("/sys/module/kvm_intel", ec) || fs::exists("/sys/module/kvm_amd", ec);
    if (pvm)
        return { Accel::Tcg, "tcg (/dev/kvm is kvm_pvm, not hardware KVM)" };
    if (!hardware)
        return { Accel::Tcg, "tcg (no hardware KVM: neither kvm_intel nor kvm_amd is loaded)" };
    int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return { Accel::Tcg, "tcg (/dev/kvm is not accessible to this user)" };
    ::close(fd);
    return { Accel::Kvm, "kvm (hardware)" };
}

const char* accel_name(Accel accel) { return accel == Accel::Kvm ? "kvm" : "tcg"; }

} // namespace kiln::cli

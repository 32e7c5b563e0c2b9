// getrandom(2): bytes from the kernel CSPRNG, which is seeded before user space starts,
// so it never blocks and GRND_RANDOM / GRND_NONBLOCK / GRND_INSECURE change nothing.

#include "linux/syscall.h"
#include "random/entropy.h"

namespace kiln {
namespace {

Result<int64_t> sys_getrandom(const SyscallArgs& a)
{
    constexpr uint64_t GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;
    constexpr uint64_t MAX_REQUEST = 0x1ffffff;  // Linux caps one call at 32 MiB - 1
    uint64_t flags = a.a2;
    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
        return Errno::INVAL;
    if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
        return Errno::INVAL;
    uint64_t length = a.a1 > MAX_REQUEST ? MAX_REQUEST : a.a1;
    uint8_t chunk[256];
    for (uint64_t done = 0; done < length;) {
        uint64_t n = length - done < sizeof(chunk) ? length - done : sizeof(chunk);
        random_fill(chunk, n);
        if (auto r = copy_to_user(a.user(a.a0 + done), chunk, n); r.is_error())
            return done > 0 ? Result<int64_t>(static_cast<int64_t>(done)) : Result<int64_t>(r.error());
        done += n;
    }
    __builtin_memset(chunk, 0, sizeof(chunk));
    return static_cast<int64_t>(length);
}

const SyscallEntry ENTRIES[] = {
    { 318, sys_getrandom },
};

}  // namespace

SyscallFamily random_syscalls() { return { ENTRIES, 1 }; }

}  // namespace kiln

// kiln run [dir|image] [options]: build the root image if given a folder, boot it, stream
// the console and exit with the app's status.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "accel.h"
#include "commands.h"
#include "paths.h"
#include "root_builder.h"
#include "vm.h"

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

constexpr int STATUS_USAGE = 2;

void print_run_help(FILE* out)
{
    std::fprintf(out,
        "usage: kiln run [dir|image] [options]\n"
        "\n"
        "Boots an app in a VM (QEMU microvm), streams its console and exits with the app's\n"
        "exit status. A folder is packed into a root image first; a file is used as the\n"
        "root image. Without an argument, the current folder.\n"
        "\n"
        "options:\n"
        "  -m, --memory SIZE   guest memory, e.g. 512M or 2G (default 512M)\n"
        "  --accel MODE        auto (default), kvm or tcg. auto picks KVM only when it is\n"
        "                      hardware KVM (kvm_intel/kvm_amd), never kvm_pvm\n"
        "  --no-kvm            same as --accel tcg\n"
        "  --kernel FILE       kernel to boot (default: the one built with this kiln)\n"
        "  --append ARGS       extra kernel command-line words\n"
        "  -v, --verbose       show the kernel's boot messages (memory map, devices, clocks)\n"
        "  -h, --help          this help\n");
}

struct TempDir {
    std::string path;
    TempDir()
    {
        std::string tmpl = (fs::temp_directory_path() / "kiln-run-XXXXXX").string();
        if (::mkdtemp(tmpl.data()))
            path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        if (!path.empty())
            fs::remove_all(path, ec);
    }
};

} // namespace

int run_command(const std::vector<std::string>& args)
{
    VmConfig config;
    std::string target = ".";
    std::string accel_mode = "auto";
    std::string kernel;
    bool have_target = false;

    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const char* flag) -> const std::string* {
            if (i + 1 >= args.size()) {
                std::fprintf(stderr, "kiln run: %s needs a value\n", flag);
                return nullptr;
            }
            return &args[++i];
        };
        if (a == "-h" || a == "--help") {
            print_run_help(stdout);
            return 0;
        } else if (a == "-m" || a == "--memory") {
            auto v = value("--memory");
            if (!v)
                return STATUS_USAGE;
            if (!std::regex_match(*v, std::regex(R"(\d+[MG]?)"))) {
                std::fprintf(stderr, "kiln run: --memory %s: expected a size like 512M or 2G\n", v->c_str());
                return STATUS_USAGE;
            }
            config.memory = *v;
        } else if (a == "--accel") {
            auto v = value("--accel");
            if (!v)
                return STATUS_USAGE;
            if (*v != "auto" && *v != "kvm" && *v != "tcg") {
                std::fprintf(stderr, "kiln run: --accel %s: expected auto, kvm or tcg\n", v->c_str());
                return STATUS_USAGE;
            }
            accel_mode = *v;
        } else if (a == "-v" || a == "--verbose") {
            config.quiet = false;
        } else if (a == "--no-kvm") {
            accel_mode = "tcg";
        } else if (a == "--kernel") {
            auto v = value("--kernel");
            if (!v)
                return STATUS_USAGE;
            kernel = *v;
        } else if (a == "--append") {
            auto v = value("--append");
            if (!v)
                return STATUS_USAGE;
            config.kernel_args += (config.kernel_args.empty() ? "" : " ") + *v;
        } else if (!a.empty() && a[0] == '-') {
            std::fprintf(stderr, "kiln run: unknown option %s (see kiln run --help)\n", a.c_str());
            return STATUS_USAGE;
        } else if (!have_target) {
            target = a;
            have_target = true;
        } else {
            std::fprintf(stderr, "kiln run: one app at a time (got %s and %s)\n", target.c_str(), a.c_str());
            return STATUS_USAGE;
        }
    }

    config.kernel = kernel.empty() ? find_kernel() : kernel;
    std::error_code ec;
    if (config.kernel.empty() || !fs::is_regular_file(config.kernel, ec)) {
        std::fprintf(stderr, "kiln run: kernel not found%s%s; build it (scripts/build) or pass --kernel\n",
            kernel.empty() ? "" : ": ", kernel.c_str());
        return STATUS_USAGE;
    }

    TempDir temp;
    if (fs::is_directory(target, ec)) {
        if (temp.path.empty()) {
            std::fprintf(stderr, "kiln run: cannot create a temporary folder\n");
            return 1;
        }
        config.initrd = temp.path + "/root.erofs";
        std::string runtime = find_runtime();
        if (runtime.empty()) {
            std::fprintf(stderr, "kiln run: kiln-runtime not found; build it (scripts/build) or set KILN_RUNTIME\n");
            return 1;
        }
        auto built = initrd::build_root_image({ target, runtime, config.initrd });
        if (!built.ok) {
            std::fprintf(stderr, "kiln run: %s\n", built.error.c_str());
            return 1;
        }
    } else if (fs::is_regular_file(target, ec)) {
        config.initrd = target;
    } else {
        std::fprintf(stderr, "kiln run: %s: no such app folder or image\n", target.c_str());
        return STATUS_USAGE;
    }

    AccelChoice choice = detect_accel();
    if (accel_mode == "tcg") {
        choice = { Accel::Tcg, "tcg (requested)" };
    } else if (accel_mode == "kvm") {
        if (choice.accel != Accel::Kvm)
            std::fprintf(stderr, "kiln run: warning: --accel kvm without hardware KVM; auto would pick %s\n",
                choice.reason.c_str());
        choice = { Accel::Kvm, "kvm (requested)" };
    }
    config.accel = choice.accel;
    std::fprintf(stderr, "kiln: accelerator %s\n", choice.reason.c_str());
    return run_vm(config);
}

} // namespace kiln::cli

#include "paths.h"

#include <cstdlib>
#include <filesystem>

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

// $variable if set, else build/<folder>/<name> relative to this executable (build/cli/kiln).
std::string find_built_file(const char* variable, const char* folder, const char* name)
{
    std::error_code ec;
    if (const char* env = std::getenv(variable); env && *env)
        return fs::is_regular_file(env, ec) ? env : "";
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return "";
    fs::path candidate = exe.parent_path().parent_path() / folder / name;
    return fs::is_regular_file(candidate, ec) ? candidate.string() : "";
}

} // namespace

std::string find_kernel() { return find_built_file("KILN_KERNEL", "kernel", "kiln-kernel"); }

std::string find_runtime() { return find_built_file("KILN_RUNTIME", "runtime", "kiln-runtime"); }

std::string find_qemu_preload() { return find_built_file("KILN_QEMU_PRELOAD", "cli", "libkiln-qemu-listen.so"); }

} // namespace kiln::cli

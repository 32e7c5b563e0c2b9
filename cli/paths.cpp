#include "paths.h"

#include <cstdlib>
#include <filesystem>

namespace kiln::cli {

namespace fs = std::filesystem;

std::string find_kernel()
{
    std::error_code ec;
    if (const char* env = std::getenv("KILN_KERNEL"); env && *env)
        return fs::is_regular_file(env, ec) ? env : "";
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return "";
    fs::path candidate = exe.parent_path().parent_path() / "kernel" / "kiln-kernel";
    return fs::is_regular_file(candidate, ec) ? candidate.string() : "";
}

} // namespace kiln::cli

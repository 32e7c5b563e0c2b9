#include "root_builder.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

} // namespace

BuildResult build_root_image(const std::string& app_dir, const std::string& image_path)
{
    std::error_code ec;
    if (!fs::is_directory(app_dir, ec))
        return { false, "app folder " + app_dir + " does not exist or is not a folder" };

    fs::path staging = fs::path(image_path).concat(".staging");
    fs::remove_all(staging, ec);
    fs::create_directories(staging / "app", ec);
    if (ec)
        return { false, "cannot create " + staging.string() + ": " + ec.message() };
    fs::copy(app_dir, staging / "app", fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
    if (ec) {
        fs::remove_all(staging, ec);
        return { false, "cannot copy " + app_dir + ": " + ec.message() };
    }

    // -T0 and a fixed UUID make the same inputs give the same bytes.
    std::string command = "mkfs.erofs --quiet -T0 --all-root -U 6b696c6e-0000-4000-8000-000000000000 "
        + shell_quote(image_path) + " " + shell_quote(staging.string()) + " 2>&1";
    int status = std::system(command.c_str());
    fs::remove_all(staging, ec);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            return { false, "mkfs.erofs is not installed: run scripts/setup" };
        return { false, "mkfs.erofs failed to write " + image_path };
    }
    return { true, {} };
}

} // namespace kiln::initrd

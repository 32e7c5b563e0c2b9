#include "staging.h"

#include <stdlib.h>

#include <algorithm>
#include <vector>

namespace kiln::initrd {

namespace fs = std::filesystem;

TempFolder::TempFolder(const fs::path& near)
{
    std::error_code ec;
    fs::path parent = fs::absolute(near, ec).parent_path();
    std::string pattern = (parent / ("." + near.filename().string() + ".staging-XXXXXX")).string();
    if (mkdtemp(pattern.data()))
        m_path = pattern;
}

TempFolder::~TempFolder()
{
    std::error_code ec;
    if (!m_path.empty())
        fs::remove_all(m_path, ec);
}

std::string stage_dir(const fs::path& dir, fs::perms mode)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec)
        fs::permissions(dir, mode, ec);
    return ec ? "cannot create " + dir.string() + ": " + ec.message() : "";
}

std::string stage_file(const fs::path& from, const fs::path& to)
{
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec)
        return "cannot copy " + from.string() + ": " + ec.message();
    fs::perms source = fs::status(from, ec).permissions();
    bool executable
        = (source & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) != fs::perms::none;
    fs::permissions(to, executable ? fs::perms(0755) : fs::perms(0644), ec);
    return ec ? "cannot set the mode of " + to.string() + ": " + ec.message() : "";
}

std::string stage_tree(const fs::path& from, const fs::path& to)
{
    if (std::string error = stage_dir(to); !error.empty())
        return error;
    std::error_code ec;
    // Sorted, so the staging tree is built in the same order every time.
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec))
        entries.push_back(*it);
    if (ec)
        return "cannot list " + from.string() + ": " + ec.message();
    std::sort(entries.begin(), entries.end());

    for (const fs::directory_entry& entry : entries) {
        fs::path name = entry.path().filename();
        if (name == ".git")
            continue;
        fs::file_status status = entry.symlink_status(ec);
        std::string error;
        if (fs::is_symlink(status)) {
            fs::create_symlink(fs::read_symlink(entry.path(), ec), to / name, ec);
            if (ec)
                error = "cannot copy the symlink " + entry.path().string() + ": " + ec.message();
        } else if (fs::is_directory(status)) {
            error = stage_tree(entry.path(), to / name);
        } else if (fs::is_regular_file(status)) {
            error = stage_file(entry.path(), to / name);
        } else {
            error = entry.path().string() + " is not a file, folder or symlink; an image cannot hold it";
        }
        if (!error.empty())
            return error;
    }
    return {};
}

} // namespace kiln::initrd

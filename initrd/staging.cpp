#include "staging.h"

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <set>
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

std::string stage_text(const std::string& text, const fs::path& to)
{
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out)
        return "cannot write " + to.string();
    std::error_code ec;
    fs::permissions(to, fs::perms(0644), ec);
    return ec ? "cannot set the mode of " + to.string() + ": " + ec.message() : "";
}

std::string stage_files(const std::vector<AppFile>& files, const fs::path& root)
{
    std::set<fs::path> made;
    for (const AppFile& file : files) {
        fs::path target = root / file.image_path;
        fs::path parent = target.parent_path();
        if (!made.count(parent)) {
            // Every folder on the way gets the normalized mode, not just the last one.
            std::vector<fs::path> missing;
            for (fs::path dir = parent; dir != root && !made.count(dir); dir = dir.parent_path())
                missing.push_back(dir);
            for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
                if (std::string error = stage_dir(*it); !error.empty())
                    return error;
                made.insert(*it);
            }
        }
        if (file.symlink) {
            std::error_code ec;
            fs::create_symlink(file.link_target, target, ec);
            if (ec)
                return "cannot copy the symlink " + file.source.string() + ": " + ec.message();
        } else if (std::string error = stage_file(file.source, target); !error.empty()) {
            return error;
        }
    }
    return {};
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

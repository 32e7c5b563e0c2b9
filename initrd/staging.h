#pragma once

// The staging tree mkfs.erofs packs: a temporary folder whose contents are normalized
// so that the same inputs give the same tree on any machine (and so the same image).
// Modes are reduced to 0755 (folders, and files with any execute bit) or 0644; owners
// and timestamps are set by mkfs.erofs (--all-root, -T0).

#include <filesystem>
#include <string>
#include <vector>

#include "app_contents.h"

namespace kiln::initrd {

// A temporary folder created next to `near` (so renames stay on one filesystem) and
// removed with everything in it when this goes out of scope.
class TempFolder {
public:
    explicit TempFolder(const std::filesystem::path& near);
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;

    bool ok() const { return !m_path.empty(); }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Copies one regular file's bytes (following symlinks in `from`) to `to`, with a
// normalized mode. Returns an error message, empty on success.
std::string stage_file(const std::filesystem::path& from, const std::filesystem::path& to);

// Creates `dir` (and parents) with mode `mode`.
std::string stage_dir(const std::filesystem::path& dir, std::filesystem::perms mode = std::filesystem::perms(0755));

// Writes `text` to `to` with mode 0644.
std::string stage_text(const std::string& text, const std::filesystem::path& to);

// Copies the app's selected files (and recreates its symlinks) under `root`, creating
// folders (0755) on the way; `files` is sorted, so the tree is built in the same order
// every time.
std::string stage_files(const std::vector<AppFile>& files, const std::filesystem::path& root);

// Copies the app folder: regular files, folders and symlinks (as symlinks), skipping
// every entry named .git. Anything else (sockets, devices, FIFOs) is an error.
std::string stage_tree(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace kiln::initrd

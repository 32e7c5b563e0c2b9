#pragma once

// Runs Debian's mkfs.erofs (erofs-utils 1.5) over a staging tree with the options that
// make images reproducible and mappable; see README.md for why each option is there.

#include <filesystem>
#include <string>

namespace kiln::initrd {

// The UUID every image carries, so two builds of the same tree are the same bytes.
inline constexpr const char* IMAGE_UUID = "6b696c6e-0000-4000-8000-000000000000";

// Writes `image` from `tree`. Returns an error message (with mkfs.erofs's own output),
// empty on success. `scratch` is a folder for the tool's log.
std::string run_mkfs_erofs(
    const std::filesystem::path& tree, const std::filesystem::path& image, const std::filesystem::path& scratch);

} // namespace kiln::initrd

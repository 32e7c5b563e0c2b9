#pragma once

// Reads a built root image on the host with the kernel's own EROFS reader
// (kernel/fs/erofs/, the code that mounts it in the VM): `kiln inspect` lists it and
// `kiln run IMAGE --env ...` copies it out to make a variant.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiln::initrd {

struct ImageEntry {
    std::string path; // absolute in the image, "/kiln/manifest.json"; "/" for the root
    char type = '?'; // 'f' file, 'd' folder, 'l' symlink, '?' anything else
    uint16_t mode = 0; // permission bits
    uint64_t size = 0; // bytes (files, symlinks)
    uint64_t nid = 0; // the inode: hard links share it
    std::string link_target; // symlinks
};

struct ImageListing {
    std::vector<ImageEntry> entries; // depth-first, names sorted as EROFS stores them
    uint64_t image_size = 0;
    std::string error; // when the image cannot be read
};

ImageListing list_image(const std::filesystem::path& image);

// The contents of one regular file in the image; nullopt when missing or unreadable.
std::optional<std::string> read_image_file(const std::filesystem::path& image, const std::string& path);

// Writes the image's tree under `destination` (which must exist): files with their
// modes, folders, symlinks, and hard links where the image has them. Returns an error
// message, empty on success.
std::string extract_image(const std::filesystem::path& image, const std::filesystem::path& destination);

} // namespace kiln::initrd

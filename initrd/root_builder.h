#pragma once

// Builds the root filesystem image (EROFS, through Debian's mkfs.erofs) from a staging
// tree. First cut: the app folder under /app. The full layout (manifest, runtime and its
// libraries) arrives with the image builder proper.

#include <string>

namespace kiln::initrd {

struct BuildResult {
    bool ok = false;
    std::string error; // what went wrong and what to do, when !ok
};

// Writes an image of `app_dir` (as /app) to `image_path`. Reproducible: fixed
// timestamps, files owned by root, a fixed UUID.
BuildResult build_root_image(const std::string& app_dir, const std::string& image_path);

} // namespace kiln::initrd

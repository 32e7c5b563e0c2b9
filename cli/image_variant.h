#pragma once

// `kiln run IMAGE --env K=V -- args` on an image that is already built: the kernel
// takes argv and env only from /kiln/manifest.json, so the run needs an image whose
// manifest has them. The image is copied out with our EROFS reader, its manifest
// rewritten and the tree packed again with the same mkfs.erofs options; the result is
// cached by the image's identity (path, size, mtime) and the env and args, so running
// the same variant again costs nothing.

#include <filesystem>
#include <string>
#include <vector>

namespace kiln::cli {

struct VariantResult {
    std::filesystem::path image; // empty on error
    std::string error;
    bool reused = false;
};

VariantResult image_variant(const std::filesystem::path& image, const std::filesystem::path& cache_dir,
    const std::vector<std::string>& env, const std::vector<std::string>& args);

// The folder holding the variant images, under the same cache root as cache_slot().
std::filesystem::path variant_cache_root();

} // namespace kiln::cli

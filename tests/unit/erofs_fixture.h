#pragma once

// Shared by the EROFS unit tests: builds a fixture tree on the host, turns it into
// images with Debian's mkfs.erofs, and walks an image the way the kernel would. The tree
// is built once per test binary and removed at exit.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "erofs_exercise.h"

namespace kiln::erofs::testing {

// Deterministic file contents: a file's bytes depend on its name and size, so a block
// mapped to the wrong place or the wrong file shows up as a mismatch.
std::vector<uint8_t> pattern_bytes(size_t size, uint64_t seed);

// The fixture tree (see erofs_fixture.cpp for its contents), created on first use.
const std::filesystem::path& fixture_tree();
// A much smaller tree (a few files, a symlink, a subdirectory) whose metadata all sits in
// the first block: exhaustive byte-corruption tests run over it.
const std::filesystem::path& small_tree();

// Runs `mkfs.erofs --quiet <options> <image> <tree>` and returns the image. Fails the
// current test (and returns empty) if mkfs.erofs is missing or fails: never skips.
std::vector<uint8_t> make_image(const std::filesystem::path& tree, const std::string& options);

}  // namespace kiln::erofs::testing

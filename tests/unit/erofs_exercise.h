#pragma once

// Walks an EROFS image the way the kernel would, for the corruption tests and the fuzzer.
// No GoogleTest here, so the libFuzzer target can link it alone.

#include <cstddef>
#include <cstdint>
#include <span>

namespace kiln::erofs::testing {

// Opens the image and touches everything reachable: every directory (bounded depth and
// entry count, since a corrupt image may contain cycles), every inode, every file's data
// (bounded), symlink targets, maps, and a few path lookups. Its only job is to not crash
// or read out of bounds; it returns the number of successful operations so the
// optimizer cannot drop the work.
size_t exercise_image(std::span<const uint8_t> image);

// Recomputes the superblock crc32c after a test has edited block 0 on purpose, so the
// corruption reaches the code behind the checksum. Images shorter than a block are
// left alone.
void fix_superblock_checksum(std::span<uint8_t> image);

}  // namespace kiln::erofs::testing

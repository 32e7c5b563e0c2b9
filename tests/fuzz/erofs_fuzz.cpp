// libFuzzer target for the EROFS reader: any byte string is an image; opening and walking
// it must never crash or read out of bounds. Seed it with real images, e.g.
//   mkfs.erofs corpus/small.erofs some-small-tree/
//   ./erofs_fuzz -max_len=65536 corpus/

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>

#include "../unit/erofs_exercise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace kiln::erofs::testing;
    // Inputs with an odd last byte get a valid superblock checksum, so mutations reach
    // inodes and directories instead of all dying at the crc check.
    if (size >= 4096 && (data[size - 1] & 1)) {
        std::unique_ptr<uint8_t[]> copy(new uint8_t[size]);
        std::memcpy(copy.get(), data, size);
        fix_superblock_checksum({copy.get(), size});
        exercise_image({copy.get(), size});
    } else {
        exercise_image({data, size});
    }
    return 0;
}

// libFuzzer target for the network stack: the input is a sequence of frames (each a
// 2-byte big-endian length and that many bytes) fed to a stack with a listener, an
// established TCP connection, a UDP socket and a DHCP client; every parser also sees
// each frame on its own. Nothing may crash, read out of bounds or leak.
//   cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ && cmake --build build-fuzz --target net_fuzz
//   ./build-fuzz/tests/fuzz/net_fuzz -max_len=8192 corpus/

#include <cstddef>
#include <cstdint>
#include <span>

#include "net_exercise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    kiln::net::test::StackExercise exercise(size);
    std::span<const uint8_t> input(data, size);
    while (input.size() >= 2) {
        size_t length = static_cast<size_t>(input[0] << 8 | input[1]);
        input = input.subspan(2);
        if (length > input.size())
            length = input.size();
        auto frame = input.first(length);
        kiln::net::test::parse_everything(frame);
        exercise.feed(frame);
        input = input.subspan(length);
    }
    return 0;
}

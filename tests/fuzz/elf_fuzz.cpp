// libFuzzer target for the ELF parser: any byte string is an ELF file; parsing it and
// reading everything the parser hands out (segments, interpreter, dynamic names) must
// never crash or read out of bounds. Seed it with real binaries, e.g.
//   mkdir corpus && cp /bin/true /lib64/ld-linux-x86-64.so.2 corpus/
//   ./elf_fuzz -max_len=65536 corpus/

#include <cstddef>
#include <cstdint>
#include <span>

#include "../unit/elf_exercise.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    kiln::exec::testing::exercise_elf({ data, size });
    return 0;
}

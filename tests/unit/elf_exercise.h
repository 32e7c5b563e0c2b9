#pragma once

// Parses bytes as ELF and touches everything the accessors hand out, for the corruption
// tests and the fuzzer. No GoogleTest here, so the libFuzzer target can link it alone.

#include <cstddef>
#include <cstdint>
#include <span>

namespace kiln::exec::testing {

// Returns the number of successful operations (0 if try_parse refused the image), so
// the optimizer cannot drop the work. A broken promise (a segment, string or offset the
// parser accepted that lies outside the image) traps.
size_t exercise_elf(std::span<const uint8_t> image);

} // namespace kiln::exec::testing

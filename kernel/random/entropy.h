#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kiln {

// Seeds the kernel CSPRNG from RDSEED/RDRAND (when CPUID has them) and TSC jitter.
// Boot CPU, once, after cpu_features_init().
void random_init();

// Cryptographically strong bytes: getrandom(2), /dev/urandom, AT_RANDOM.
void random_fill(uint8_t* out, size_t length);

// Where the seed came from, for the boot log ("rdseed", "rdrand", "tsc jitter only").
const char* random_source_name();

}  // namespace kiln

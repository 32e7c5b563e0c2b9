#pragma once

// ChaCha20 block function (RFC 8439, section 2.3). Portable; the kernel's CSPRNG is
// built on it.

#include <stddef.h>
#include <stdint.h>

namespace kiln {

// Writes the 64-byte keystream block for (key, counter, nonce) to out.
void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64]);

// A fast-key-erasure CSPRNG (https://blog.cr.yp.to/20170723-random.html): each request
// generates keystream, the first 32 bytes of which replace the key at once, so a later
// compromise of the state reveals nothing about earlier output.
class ChaChaRng {
public:
    // Mixes seed material into the key (e.g. RDSEED/RDRAND output, TSC jitter).
    void seed(const uint8_t* material, size_t length);
    void fill(uint8_t* out, size_t length);
    bool seeded() const { return m_seeded; }

private:
    void rekey_and_generate(uint8_t block[64]);

    uint32_t m_key[8] = {};
    uint32_t m_nonce[3] = {};
    bool m_seeded = false;
};

}  // namespace kiln

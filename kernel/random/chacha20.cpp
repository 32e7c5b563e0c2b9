#include "random/chacha20.h"

namespace kiln {
namespace {

inline uint32_t rotate_left(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

inline void quarter_round(uint32_t& a, uint32_t& b, uint32_t& c, uint32_t& d)
{
    a += b;
    d = rotate_left(d ^ a, 16);
    c += d;
    b = rotate_left(b ^ c, 12);
    a += b;
    d = rotate_left(d ^ a, 8);
    c += d;
    b = rotate_left(b ^ c, 7);
}

inline uint32_t load_le32(const uint8_t* p)
{
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 | static_cast<uint32_t>(p[2]) << 16
        | static_cast<uint32_t>(p[3]) << 24;
}

}  // namespace

void chacha20_block(const uint32_t key[8], uint32_t counter, const uint32_t nonce[3], uint8_t out[64])
{
    // "expand 32-byte k"
    uint32_t state[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574, key[0], key[1], key[2], key[3], key[4],
        key[5], key[6], key[7], counter, nonce[0], nonce[1], nonce[2] };
    uint32_t x[16];
    for (int i = 0; i < 16; ++i)
        x[i] = state[i];
    for (int round = 0; round < 10; ++round) {
        quarter_round(x[0], x[4], x[8], x[12]);
        quarter_round(x[1], x[5], x[9], x[13]);
        quarter_round(x[2], x[6], x[10], x[14]);
        quarter_round(x[3], x[7], x[11], x[15]);
        quarter_round(x[0], x[5], x[10], x[15]);
        quarter_round(x[1], x[6], x[11], x[12]);
        quarter_round(x[2], x[7], x[8], x[13]);
        quarter_round(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; ++i) {
        uint32_t v = x[i] + state[i];
        out[i * 4 + 0] = static_cast<uint8_t>(v);
        out[i * 4 + 1] = static_cast<uint8_t>(v >> 8);
        out[i * 4 + 2] = static_cast<uint8_t>(v >> 16);
        out[i * 4 + 3] = static_cast<uint8_t>(v >> 24);
    }
}

void ChaChaRng::seed(const uint8_t* material, size_t length)
{
    // Absorb: XOR the material into the key 32 bytes at a time, stirring in between.
    for (size_t offset = 0; offset < length; offset += 32) {
        uint8_t chunk[32] = {};
        size_t n = length - offset < 32 ? length - offset : 32;
        __builtin_memcpy(chunk, material + offset, n);
        for (int i = 0; i < 8; ++i)
            m_key[i] ^= load_le32(chunk + i * 4);
        uint8_t block[64];
        rekey_and_generate(block);
        __builtin_memset(block, 0, sizeof(block));
    }
    m_seeded = true;
}

void ChaChaRng::rekey_and_generate(uint8_t block[64])
{
    chacha20_block(m_key, 0, m_nonce, block);
    for (int i = 0; i < 8; ++i)
        m_key[i] = load_le32(block + i * 4);
    // The nonce only needs to differ between calls under one key; the key changes on
    // every call anyway, so a counter is plenty.
    if (++m_nonce[0] == 0)
        ++m_nonce[1];
}

void ChaChaRng::fill(uint8_t* out, size_t length)
{
    while (length > 0) {
        uint8_t block[64];
        rekey_and_generate(block);
        // Bytes 32..63 are output; 0..31 already became the new key.
        size_t n = length < 32 ? length : 32;
        __builtin_memcpy(out, block + 32, n);
        __builtin_memset(block, 0, sizeof(block));
        out += n;
        length -= n;
    }
}

}  // namespace kiln

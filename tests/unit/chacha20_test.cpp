#include <gtest/gtest.h>

#include <cstring>
#include <cmath>
#include <set>
#include <vector>

#include "random/chacha20.h"

using kiln::ChaChaRng;

// RFC 8439, section 2.3.2: the block-function test vector.
TEST(ChaCha20, Rfc8439BlockTestVector)
{
    uint32_t key[8];
    uint8_t key_bytes[32];
    for (int i = 0; i < 32; ++i)
        key_bytes[i] = static_cast<uint8_t>(i);
    std::memcpy(key, key_bytes, 32);
    const uint8_t nonce_bytes[12] = { 0, 0, 0, 0x09, 0, 0, 0, 0x4a, 0, 0, 0, 0 };
    uint32_t nonce[3];
    std::memcpy(nonce, nonce_bytes, 12);
    uint8_t out[64];
    kiln::chacha20_block(key, 1, nonce, out);
    const uint8_t expected[64] = { 0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15, 0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20,
        0x71, 0xc4, 0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03, 0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
        0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09, 0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2, 0xb5, 0x12,
        0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9, 0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e };
    EXPECT_EQ(std::memcmp(out, expected, 64), 0);
}

TEST(ChaChaRng, SameSeedSameStreamDifferentSeedDifferentStream)
{
    ChaChaRng a, b, c;
    const uint8_t seed1[] = "kiln seed one";
    const uint8_t seed2[] = "kiln seed two";
    a.seed(seed1, sizeof(seed1));
    b.seed(seed1, sizeof(seed1));
    c.seed(seed2, sizeof(seed2));
    std::vector<uint8_t> x(100), y(100), z(100);
    a.fill(x.data(), x.size());
    b.fill(y.data(), y.size());
    c.fill(z.data(), z.size());
    EXPECT_EQ(x, y);
    EXPECT_NE(x, z);
    EXPECT_TRUE(a.seeded());
}

TEST(ChaChaRng, ConsecutiveOutputsDifferAndLookRandom)
{
    ChaChaRng rng;
    const uint8_t seed[] = { 1, 2, 3 };
    rng.seed(seed, sizeof(seed));
    std::vector<uint8_t> bytes(1 << 16);
    rng.fill(bytes.data(), bytes.size());
    // Every byte value appears, and bit balance is within a few standard deviations.
    std::set<uint8_t> seen(bytes.begin(), bytes.end());
    EXPECT_EQ(seen.size(), 256u);
    size_t ones = 0;
    for (uint8_t b : bytes)
        ones += __builtin_popcount(b);
    double expected = bytes.size() * 4.0;
    EXPECT_NEAR(static_cast<double>(ones), expected, 5 * std::sqrt(bytes.size() * 8 * 0.25));
    uint8_t first[32], second[32];
    rng.fill(first, 32);
    rng.fill(second, 32);
    EXPECT_NE(std::memcmp(first, second, 32), 0);
}

// kiln::format must agree with the C library's snprintf on everything it supports.

#include <gtest/gtest.h>

// Some cases pass what the compiler rightly warns about (a null %s, a lone '%'): they
// check that the formatter survives them.
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-overflow"

#include <cstdio>
#include <string>

#include "lib/format.h"

namespace {

template <typename... Args> void expect_like_snprintf(const char* fmt, Args... args)
{
    char ours[256];
    char theirs[256];
    size_t n = kiln::format(ours, sizeof(ours), fmt, args...);
    int m = std::snprintf(theirs, sizeof(theirs), fmt, args...);
    EXPECT_EQ(n, static_cast<size_t>(m)) << "format \"" << fmt << "\"";
    EXPECT_STREQ(ours, theirs) << "format \"" << fmt << "\"";
}

TEST(Format, IntegersMatchSnprintf)
{
    expect_like_snprintf("%d %i %u", 0, -1, 42u);
    expect_like_snprintf("%d", -2147483647 - 1);
    expect_like_snprintf("%ld %lu", -9223372036854775807L - 1, 18446744073709551615UL);
    expect_like_snprintf("%lld %llx", -5LL, 0xdeadbeefcafeULL);
    expect_like_snprintf("%zu %zx", static_cast<size_t>(12345), static_cast<size_t>(0xabc));
    expect_like_snprintf("%hhd %hd %hhu", 300, 70000, 257);
    expect_like_snprintf("%x %X %o", 255u, 255u, 8u);
}

TEST(Format, FlagsWidthAndPrecisionMatchSnprintf)
{
    expect_like_snprintf("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
    expect_like_snprintf("[%05d] [%-05d]", -42, -42);
    expect_like_snprintf("[%.3d] [%8.3d] [%08.3d]", 7, 7, 7);
    expect_like_snprintf("[%.0d] [%.0x] [%5.0d]", 0, 0u, 0);
    expect_like_snprintf("[%#x] [%#X] [%#o] [%#x] [%#o]", 255u, 255u, 8u, 0u, 0u);
    expect_like_snprintf("[%016lx] [%*d] [%-*d] [%.*d]", 0x1234UL, 6, 1, 6, 1, 4, 1);
    expect_like_snprintf("[%*d]", -6, 1);
}

TEST(Format, StringsCharsAndPointersMatchSnprintf)
{
    expect_like_snprintf("%s|%10s|%-10s|%.2s|%.*s", "abc", "abc", "abc", "abc", 1, "abc");
    expect_like_snprintf("%c%c%3c%-3c|", 'k', 'i', 'l', 'n');
    expect_like_snprintf("%p", reinterpret_cast<void*>(0xffffffff80100000UL));
    expect_like_snprintf("100%% done");
}

TEST(Format, NullStringPrintsPlaceholder)
{
    char out[32];
    kiln::format(out, sizeof(out), "%s", static_cast<const char*>(nullptr));
    EXPECT_STREQ(out, "(null)");
}

TEST(Format, TruncatesButReportsFullLength)
{
    char out[8];
    size_t n = kiln::format(out, sizeof(out), "%s-%d", "kiln-kernel", 12345);
    EXPECT_EQ(n, std::string("kiln-kernel-12345").size());
    EXPECT_STREQ(out, "kiln-ke");
}

TEST(Format, ZeroSizedBufferIsNotWritten)
{
    char out[4] = { 'x', 'x', 'x', 'x' };
    EXPECT_EQ(kiln::format(out, 0, "%d", 1234), 4u);
    EXPECT_EQ(out[0], 'x');
}

TEST(Format, LoneTrailingPercentDoesNotReadPastTheString)
{
    char out[16];
    kiln::format(out, sizeof(out), "50%");
    EXPECT_STREQ(out, "50%");
}

} // namespace

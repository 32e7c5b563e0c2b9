#include <gtest/gtest.h>

#include "lib/cmdline.h"

using kiln::Cmdline;

TEST(Cmdline, FindsKeyValueWords)
{
    Cmdline c("console=ttyS0 kiln.test=pagefault quiet");
    ASSERT_TRUE(c.value("kiln.test"));
    EXPECT_EQ(*c.value("kiln.test"), "pagefault");
    EXPECT_EQ(*c.value("console"), "ttyS0");
}

TEST(Cmdline, BareWordIsPresentWithEmptyValue)
{
    Cmdline c("console=ttyS0 quiet");
    ASSERT_TRUE(c.has("quiet"));
    EXPECT_TRUE(c.value("quiet")->empty());
}

TEST(Cmdline, MissingKeyAndPrefixesAreAbsent)
{
    Cmdline c("kiln.testing=1 xkiln.test=2 kiln");
    EXPECT_FALSE(c.has("kiln.test"));
    EXPECT_FALSE(c.has(""));
    EXPECT_FALSE(Cmdline("").has("a"));
}

TEST(Cmdline, LaterWordsOverrideEarlierOnes)
{
    Cmdline c("kiln.exit=1   kiln.exit=42\t");
    EXPECT_EQ(c.number("kiln.exit"), 42);
}

TEST(Cmdline, NumbersRejectGarbage)
{
    EXPECT_EQ(Cmdline("n=12x").number("n"), std::nullopt);
    EXPECT_EQ(Cmdline("n=").number("n"), std::nullopt);
    EXPECT_EQ(Cmdline("n=-1").number("n"), std::nullopt);
    EXPECT_EQ(Cmdline("n=9999999999999999999999").number("n"), std::nullopt);
    EXPECT_EQ(Cmdline("n=0").number("n"), 0);
}

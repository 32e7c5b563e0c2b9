#include <gtest/gtest.h>

#include <string>

#include "fs/path.h"

namespace {

std::string normalized(std::string_view cwd, std::string_view path, size_t capacity = 4096)
{
    std::string out(capacity, '\0');
    auto r = kiln::normalize_path(cwd, path, out.data(), capacity);
    if (r.is_error())
        return std::string("error ") + kiln::errno_name(r.error());
    return out.substr(0, r.value());
}

TEST(NormalizePath, AbsolutePathsIgnoreTheWorkingDirectory)
{
    EXPECT_EQ(normalized("/app", "/proc/self/maps"), "/proc/self/maps");
    EXPECT_EQ(normalized("/app", "//lib///x86_64-linux-gnu/"), "/lib/x86_64-linux-gnu");
    EXPECT_EQ(normalized("/", "/"), "/");
}

TEST(NormalizePath, RelativePathsJoinTheWorkingDirectory)
{
    EXPECT_EQ(normalized("/app", "index.js"), "/app/index.js");
    EXPECT_EQ(normalized("/app/lib", "../node_modules/x/./y.js"), "/app/node_modules/x/y.js");
    EXPECT_EQ(normalized("/", "a"), "/a");
    EXPECT_EQ(normalized("/app", "."), "/app");
}

TEST(NormalizePath, DotDotStopsAtTheRoot)
{
    EXPECT_EQ(normalized("/app", "../../../etc"), "/etc");
    EXPECT_EQ(normalized("/", ".."), "/");
}

TEST(NormalizePath, EmptyAndTooLongPathsAreErrors)
{
    EXPECT_EQ(normalized("/", ""), "error ENOENT");
    EXPECT_EQ(normalized("/", "/abcdef", 6), "error ENAMETOOLONG");
    EXPECT_EQ(normalized("/", "/abcd", 6), "/abcd");
    EXPECT_EQ(normalized("/aaaa", "b", 6), "error ENAMETOOLONG");
}

TEST(PathIsUnder, MatchesWholeComponentsOnly)
{
    EXPECT_TRUE(kiln::path_is_under("/proc", "/proc"));
    EXPECT_TRUE(kiln::path_is_under("/proc/self/maps", "/proc"));
    EXPECT_FALSE(kiln::path_is_under("/procfs", "/proc"));
    EXPECT_FALSE(kiln::path_is_under("/pro", "/proc"));
    EXPECT_TRUE(kiln::path_is_under("/anything", "/"));
}

}  // namespace

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "exec/manifest.h"

using kiln::exec::Manifest;
using kiln::exec::ManifestError;

namespace {

struct Parsed {
    std::unique_ptr<Manifest> manifest = std::make_unique<Manifest>();
    bool ok = false;
    std::string error;
};

Parsed parse(std::string_view text)
{
    Parsed p;
    ManifestError error;
    p.ok = !kiln::exec::parse_manifest(text, *p.manifest, &error).is_error();
    p.error = error.what;
    return p;
}

TEST(Manifest, ReadsArgvEnvAndCwd)
{
    auto p = parse(R"({"version": 1,
        "argv": ["/kiln/bin/kiln-runtime", "/app/index.js", "--flag=\u00e9"],
        "env": ["NODE_ENV=production", "EMPTY="],
        "cwd": "/app"})");
    ASSERT_TRUE(p.ok) << p.error;
    ASSERT_EQ(p.manifest->argc, 3u);
    EXPECT_EQ(p.manifest->argv[0], "/kiln/bin/kiln-runtime");
    EXPECT_EQ(p.manifest->argv[2], "--flag=\xc3\xa9");
    ASSERT_EQ(p.manifest->envc, 2u);
    EXPECT_EQ(p.manifest->envp[1], "EMPTY=");
    EXPECT_EQ(p.manifest->cwd, "/app");
    // Strings are C strings too: the program gets them through pointers.
    EXPECT_EQ(p.manifest->argv[1].data()[p.manifest->argv[1].size()], '\0');
}

TEST(Manifest, EnvAndCwdAreOptional)
{
    auto p = parse(R"({"argv": ["/bin/x"]})");
    ASSERT_TRUE(p.ok) << p.error;
    EXPECT_EQ(p.manifest->envc, 0u);
    EXPECT_EQ(p.manifest->cwd, "/");
}

TEST(Manifest, RejectsWhatTheKernelCannotRun)
{
    EXPECT_EQ(parse("").error, "not valid JSON");
    EXPECT_EQ(parse("[]").error, "the manifest must be a JSON object");
    EXPECT_EQ(parse(R"({"argv": []})").error, "argv[0] must be the absolute path of the program");
    EXPECT_EQ(parse(R"({"argv": ["relative"]})").error, "argv[0] must be the absolute path of the program");
    EXPECT_EQ(parse(R"({"argv": "/bin/x"})").error, "argv must be a non-empty array of strings");
    EXPECT_EQ(parse(R"({"argv": ["/bin/x", 3]})").error, "argv must be a non-empty array of strings");
    EXPECT_EQ(parse(R"({"argv": ["/bin/x\u0000y"]})").error, "argv must be a non-empty array of strings");
    EXPECT_EQ(parse(R"({"argv": ["/bin/x"], "env": ["NOEQUALS"]})").error,
        "env must be an array of \"KEY=value\" strings");
    EXPECT_EQ(parse(R"({"argv": ["/bin/x"], "env": ["=value"]})").error,
        "env must be an array of \"KEY=value\" strings");
    EXPECT_EQ(parse(R"({"argv": ["/bin/x"], "cwd": "app"})").error, "cwd must be an absolute path");
}

TEST(Manifest, LimitsAreErrorsNotOverflows)
{
    std::string many = R"({"argv": ["/bin/x")";
    for (int i = 0; i < 100; ++i)
        many += R"(, "a")";
    many += "]}";
    EXPECT_EQ(parse(many).error, "argv has too many entries");

    std::string huge = R"({"argv": ["/bin/x", ")" + std::string(20000, 'x') + R"("]})";
    EXPECT_FALSE(parse(huge).ok);
}

}  // namespace

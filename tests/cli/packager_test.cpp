// The packager without a VM: npm's ignore rules, the file selection of each fixture
// app, the dependency closure and its placement, and the manifest's env and args.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "app_contents.h"
#include "ignore_rules.h"
#include "root_builder.h"
#include "scratch_dir.h"

namespace kiln::initrd {
namespace {

namespace fs = std::filesystem;
using Mode = IgnoreRule::Mode;
using kiln::testing::write_text;

const fs::path APPS = KILN_FIXTURE_APPS;

bool any_matches(const char* pattern, const char* path, Mode mode = Mode::File)
{
    for (const IgnoreRule& rule : IgnoreRule::parse(pattern))
        if (rule.matches(path, mode))
            return true;
    return false;
}

std::set<std::string> app_paths(const AppContents& app)
{
    std::set<std::string> out;
    for (const AppFile& file : app.files)
        out.insert(file.image_path);
    return out;
}

TEST(IgnoreRules, GlobComponents)
{
    EXPECT_TRUE(glob_component_matches("*.js", "index.js"));
    EXPECT_TRUE(glob_component_matches("*.js", ".hidden.js")); // dot: true
    EXPECT_TRUE(glob_component_matches("README*", "readme.md")); // nocase
    EXPECT_TRUE(glob_component_matches("file?.txt", "file1.txt"));
    EXPECT_TRUE(glob_component_matches("[a-c]x", "bx"));
    EXPECT_FALSE(glob_component_matches("[!a-c]x", "bx"));
    EXPECT_FALSE(glob_component_matches("*.js", "index.json"));
}

TEST(IgnoreRules, BasenameUnlessAnchored)
{
    EXPECT_TRUE(any_matches("*.log", "deep/er/x.log"));
    EXPECT_TRUE(any_matches("/build", "build"));
    EXPECT_FALSE(any_matches("/build", "src/build"));
    EXPECT_TRUE(any_matches("lib/*.js", "lib/a.js"));
    EXPECT_FALSE(any_matches("lib/*.js", "x/lib/a.js"));
    EXPECT_TRUE(any_matches("**/.git/**", "a/.git/HEAD"));
    EXPECT_TRUE(any_matches("**/CVS", "CVS"));
}

TEST(IgnoreRules, FolderOnlyAndPartial)
{
    EXPECT_FALSE(any_matches("test/", "test", Mode::File));
    EXPECT_TRUE(any_matches("test/", "test", Mode::Folder));
    EXPECT_TRUE(any_matches("test/", "a/test", Mode::Folder));
    // A negated pattern keeps the folders on its way walkable.
    auto rules = IgnoreRule::parse("!dist/*.js");
    ASSERT_EQ(rules.size(), 1u);
    EXPECT_TRUE(rules[0].matches("dist", Mode::Partial));
    EXPECT_FALSE(rules[0].matches("dist", Mode::File));
}

TEST(IgnoreRules, BracesCommentsAndNegation)
{
    EXPECT_EQ(IgnoreRule::parse("/readme{,.*[^~$]}").size(), 2u);
    EXPECT_TRUE(any_matches("/readme{,.*[^~$]}", "README.md"));
    EXPECT_TRUE(any_matches("/readme{,.*[^~$]}", "readme"));
    EXPECT_FALSE(any_matches("/readme{,.*[^~$]}", "readme.md~"));
    EXPECT_TRUE(IgnoreRule::parse("# comment").empty());
    EXPECT_TRUE(IgnoreRule::parse("   ").empty());
    EXPECT_TRUE(IgnoreRule::parse("!x")[0].negated());
    EXPECT_EQ(IgnoreRule::parse_lines("a\n# b\n\nc\r\n").size(), 2u);
}

TEST(ScanApp, CommonJsClosureHoistedNestedScopedNoDev)
{
    AppScan scan = scan_app(APPS / "cjs_deps");
    ASSERT_TRUE(scan.contents) << scan.error;
    auto paths = app_paths(*scan.contents);
    for (const char* expected : { "app/index.js", "app/lib/math.js", "app/README.md", "app/package.json",
             "app/node_modules/shared/index.js", "app/node_modules/nested-user/node_modules/shared/index.js",
             "app/node_modules/@kiln-test/scoped/lib/index.js" })
        EXPECT_TRUE(paths.count(expected)) << expected;
    for (const char* absent : { "app/local.txt", "app/scratch/notes.txt", "app/node_modules/dev-only/index.js",
             "app/node_modules/@kiln-test/scoped/notes.txt", "app/.npmignore", "app/node_modules/.bin/dev-only" })
        EXPECT_FALSE(paths.count(absent)) << absent;
    std::vector<std::string> dirs;
    for (const AppPackage& p : scan.contents->packages)
        dirs.push_back(p.image_dir + "@" + p.version);
    EXPECT_EQ(dirs,
        (std::vector<std::string> { "app/node_modules/@kiln-test/scoped@1.0.0", "app/node_modules/nested-user@1.0.0",
            "app/node_modules/nested-user/node_modules/shared@2.0.0", "app/node_modules/shared@1.0.0" }));
    EXPECT_TRUE(std::is_sorted(scan.contents->files.begin(), scan.contents->files.end(),
        [](const AppFile& a, const AppFile& b) { return a.image_path < b.image_path; }));
}

TEST(ScanApp, LinkedWorkspaceIsCopiedAndItsHoistedDependencyFollows)
{
    AppScan scan = scan_app(APPS / "workspace/app");
    ASSERT_TRUE(scan.contents) << scan.error;
    auto paths = app_paths(*scan.contents);
    EXPECT_TRUE(paths.count("app/node_modules/@ws/lib/index.js"));
    EXPECT_FALSE(paths.count("app/node_modules/@ws/lib/lib-private.txt")); // its .npmignore applies
    // tiny-dep lives above the app folder; in the image it is hoisted to /app/node_modules.
    EXPECT_TRUE(paths.count("app/node_modules/tiny-dep/index.js"));
    bool linked = false;
    for (const AppPackage& p : scan.contents->packages)
        linked |= p.name == "@ws/lib" && p.linked;
    EXPECT_TRUE(linked);
}

TEST(ScanApp, ReportsEveryProblemBeforeWriting)
{
    kiln::testing::ScratchDir app { "packager" };
    write_text(app.path() / "package.json", R"({"dependencies": {"a": "1", "b": "1"}, "optionalDependencies": {"c": "1"}})");
    write_text(app.path() / "index.js", "");
    write_text(app.path() / "node_modules/b/package.json", R"({"name": "b", "dependencies": {"d": "1"}})");
    write_text(app.path() / "node_modules/b/prebuilds/linux-x64/b.node", "ELF");
    AppScan scan = scan_app(app.path());
    ASSERT_FALSE(scan.contents);
    EXPECT_NE(scan.error.find("dependency \"a\" of the app is not installed"), std::string::npos) << scan.error;
    EXPECT_NE(scan.error.find("dependency \"d\" of node_modules/b is not installed"), std::string::npos) << scan.error;
    EXPECT_NE(scan.error.find("node_modules/b (b) is a native addon (prebuilds/linux-x64/b.node)"), std::string::npos)
        << scan.error;
    EXPECT_EQ(scan.error.find("\"c\""), std::string::npos) << "a missing optional dependency is no error";
}

TEST(ScanApp, BuiltImagesInsideTheAppAreNeverPacked)
{
    kiln::testing::ScratchDir app { "packager" };
    write_text(app.path() / "package.json", R"({"name": "x"})");
    write_text(app.path() / "index.js", "");
    write_text(app.path() / "dist/x.kiln/root.erofs", "image");
    write_text(app.path() / "dist/x.kiln/manifest.json", "{}");
    write_text(app.path() / "dist/bundle.js", "code");
    AppScan scan = scan_app(app.path());
    ASSERT_TRUE(scan.contents) << scan.error;
    auto paths = app_paths(*scan.contents);
    EXPECT_TRUE(paths.count("app/dist/bundle.js"));
    EXPECT_FALSE(paths.count("app/dist/x.kiln/root.erofs"));
}

TEST(ScanApp, KilnSectionShapesTheManifest)
{
    kiln::testing::ScratchDir app { "packager" };
    write_text(app.path() / "package.json", R"({"main": "srv", "kiln": {"env": {"PORT": "8080", "NODE_ENV": "staging"},
        "args": ["--fast"], "memory": "256M", "ports": [8080, "9000:90"], "disks": ["d.img:1M"]}})");
    write_text(app.path() / "srv.js", "");
    AppScan scan = scan_app(app.path());
    ASSERT_TRUE(scan.contents) << scan.error;
    EXPECT_EQ(app_environment(*scan.contents, { "PORT=1", "EXTRA=x" }),
        (std::vector<std::string> { "NODE_ENV=staging", "PORT=1", "EXTRA=x" }));
    EXPECT_EQ(app_arguments(*scan.contents, { "a" }), (std::vector<std::string> { "/app/srv.js", "--fast", "a" }));
    EXPECT_EQ(scan.contents->package.kiln.ports, (std::vector<std::string> { "8080", "9000:90" }));
    EXPECT_EQ(scan.contents->package.kiln.memory, "256M");
}

TEST(ScanApp, KilnSectionTyposAreErrors)
{
    kiln::testing::ScratchDir app { "packager" };
    write_text(app.path() / "package.json", R"({"kiln": {"env": ["A=1"]}})");
    write_text(app.path() / "index.js", "");
    AppScan scan = scan_app(app.path());
    ASSERT_FALSE(scan.contents);
    EXPECT_NE(scan.error.find("\"kiln.env\" must be an object"), std::string::npos) << scan.error;
}

} // namespace
} // namespace kiln::initrd

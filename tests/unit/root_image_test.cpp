// The root image builder end to end: builds images of examples/hello with the real
// runtime and checks them with erofs-utils (fsck.erofs --extract, dump.erofs) and our
// own ELF and JSON parsers. Missing tools fail the test, never skip it.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <set>

#include "elf_samples.h"
#include "exec/elf.h"
#include "exec/elf_dynamic.h"
#include "lib/json.h"
#include "root_builder.h"
#include "scratch_dir.h"

namespace kiln::initrd {
namespace {

namespace fs = std::filesystem;
using exec::testing::command_output;
using exec::testing::read_file;
using exec::testing::runtime_binary;
using kiln::testing::write_text;
using Scratch = kiln::testing::ScratchDir;

fs::path source_dir() { return fs::path(__FILE__).parent_path().parent_path().parent_path(); }
fs::path hello_app() { return source_dir() / "examples" / "hello"; }

std::string read_text(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

BuildResult build(const fs::path& app, const fs::path& output)
{
    return build_root_image({ app, runtime_binary(), output });
}

// One image of examples/hello, extracted once for the layout tests.
class HelloImage : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_scratch = new Scratch("root-image");
        s_image = s_scratch->path() / "hello.erofs";
        s_result = build(hello_app(), s_image);
        s_tree = s_scratch->path() / "tree";
        if (s_result.ok)
            command_output("fsck.erofs --extract='" + s_tree.string() + "' '" + s_image.string() + "' 2>&1");
    }
    static void TearDownTestSuite() { delete s_scratch; }

    static Scratch* s_scratch;
    static fs::path s_image;
    static fs::path s_tree;
    static BuildResult s_result;
};
Scratch* HelloImage::s_scratch;
fs::path HelloImage::s_image;
fs::path HelloImage::s_tree;
BuildResult HelloImage::s_result;

TEST_F(HelloImage, HasTheLayout)
{
    ASSERT_TRUE(s_result.ok) << s_result.error;
    EXPECT_EQ(s_result.image_size, fs::file_size(s_image));
    std::cout << "examples/hello image: " << s_result.image_size << " bytes\n";
    for (const char* file : { "kiln/manifest.json", "kiln/bin/kiln-runtime", "lib64/ld-linux-x86-64.so.2",
             "lib/x86_64-linux-gnu/libnode.so.108", "lib/x86_64-linux-gnu/libc.so.6", "app/package.json",
             "app/index.js" })
        EXPECT_TRUE(fs::is_regular_file(s_tree / file)) << file;
    for (const char* dir : { "tmp", "dev", "proc", "sys" }) {
        EXPECT_TRUE(fs::is_directory(s_tree / dir)) << dir;
        EXPECT_TRUE(fs::is_empty(s_tree / dir)) << dir;
    }
    // Nothing but the layout at the top.
    std::set<std::string> top;
    for (const auto& entry : fs::directory_iterator(s_tree))
        top.insert(entry.path().filename().string());
    EXPECT_EQ(top, (std::set<std::string> { "app", "dev", "kiln", "lib", "lib64", "proc", "sys", "tmp" }));
}

TEST_F(HelloImage, RuntimeAndLoaderAreTheHostFilesAndExecutable)
{
    ASSERT_TRUE(s_result.ok) << s_result.error;
    EXPECT_EQ(read_file(s_tree / "kiln/bin/kiln-runtime"), read_file(runtime_binary()));
    EXPECT_EQ(
        read_file(s_tree / "lib64/ld-linux-x86-64.so.2"), read_file(fs::canonical("/lib64/ld-linux-x86-64.so.2")));
    EXPECT_EQ(read_file(s_tree / "lib/x86_64-linux-gnu/libnode.so.108"), read_file(exec::testing::libnode_library()));
    // Modes as stored in the image (fsck.erofs extracts with them when run as root;
    // dump.erofs reads them independently of who runs the test).
    std::string runtime = command_output("dump.erofs --path=/kiln/bin/kiln-runtime '" + s_image.string() + "'");
    EXPECT_NE(runtime.find("Access: 0755"), std::string::npos) << runtime;
    EXPECT_NE(runtime.find("Uid: 0   Gid: 0"), std::string::npos) << runtime;
    EXPECT_NE(runtime.find("1970-01-01 00:00:00"), std::string::npos) << runtime;
    // Layout 0 is EROFS_INODE_FLAT_PLAIN: the data is whole blocks, so the kernel can
    // map segments from the image (what -E noinline_data buys).
    EXPECT_NE(runtime.find("Layout: 0"), std::string::npos) << runtime;
    std::string manifest = command_output("dump.erofs --path=/kiln/manifest.json '" + s_image.string() + "'");
    EXPECT_NE(manifest.find("Access: 0644"), std::string::npos) << manifest;
    EXPECT_NE(manifest.find("Layout: 0"), std::string::npos) << manifest;
}

TEST_F(HelloImage, EveryNeededLibraryIsInTheMultiarchFolder)
{
    ASSERT_TRUE(s_result.ok) << s_result.error;
    fs::path libdir = s_tree / "lib/x86_64-linux-gnu";
    std::vector<fs::path> objects = { s_tree / "kiln/bin/kiln-runtime", s_tree / "lib64/ld-linux-x86-64.so.2" };
    for (const auto& entry : fs::directory_iterator(libdir))
        objects.push_back(entry.path());
    size_t checked = 0;
    for (const fs::path& object : objects) {
        std::vector<uint8_t> bytes = read_file(object);
        auto elf = exec::ElfImage::try_parse(bytes);
        ASSERT_TRUE(elf) << object;
        if (auto interp = elf->interpreter()) {
            EXPECT_TRUE(fs::is_regular_file(s_tree / fs::path(*interp).relative_path())) << *interp;
        }
        auto dyn = exec::ElfDynamic::try_parse(*elf);
        ASSERT_TRUE(dyn) << object;
        for (size_t i = 0; i < dyn->needed_count(); ++i, ++checked)
            EXPECT_TRUE(fs::is_regular_file(libdir / dyn->needed(i)))
                << dyn->needed(i) << " needed by " << object.filename() << " is missing";
    }
    EXPECT_GT(checked, 20u);
}

TEST_F(HelloImage, ManifestStartsTheAppInProduction)
{
    ASSERT_TRUE(s_result.ok) << s_result.error;
    std::string text = read_text(s_tree / "kiln/manifest.json");
    auto doc = json::Document::try_parse(text);
    ASSERT_TRUE(doc) << text;
    json::Value root = doc->root();
    EXPECT_EQ(root.member("version")->integer().value(), 1);
    std::vector<std::string> argv, env;
    char buffer[256];
    for (json::Value v : root.member("argv")->elements())
        argv.emplace_back(v.string(buffer).value());
    for (json::Value v : root.member("env")->elements())
        env.emplace_back(v.string(buffer).value());
    EXPECT_EQ(argv, (std::vector<std::string> { "/kiln/bin/kiln-runtime", "/app/index.js" }));
    EXPECT_EQ(env, (std::vector<std::string> { "NODE_ENV=production" }));
    EXPECT_EQ(root.member("cwd")->string(buffer).value(), "/app");
}

TEST(RootImage, BuildingTwiceGivesTheSameBytes)
{
    Scratch scratch { "root-image" };
    // Different output folders, so the staging folders differ too.
    fs::create_directories(scratch.path() / "one");
    fs::create_directories(scratch.path() / "two");
    ASSERT_TRUE(build(hello_app(), scratch.path() / "one/root.erofs").ok);
    ASSERT_TRUE(build(hello_app(), scratch.path() / "two/root.erofs").ok);
    EXPECT_TRUE(read_file(scratch.path() / "one/root.erofs") == read_file(scratch.path() / "two/root.erofs"));
    // Nothing left behind but the images.
    EXPECT_EQ(std::distance(fs::directory_iterator(scratch.path() / "one"), fs::directory_iterator()), 1);
}

TEST(RootImage, AppModesAndSymlinksSurviveAndGitDoesNot)
{
    Scratch scratch { "root-image" };
    fs::path app = scratch.path() / "app";
    write_text(app / "package.json", R"({"main": "lib/start"})");
    write_text(app / "lib/start.js", "console.log(1)\n");
    write_text(app / "bin/tool", "#!/bin/sh\n");
    fs::permissions(app / "bin/tool", fs::perms(0700));
    write_text(app / ".git/HEAD", "ref: refs/heads/main\n");
    fs::create_symlink("../bin/tool", app / "lib/tool");
    fs::path image = scratch.path() / "root.erofs";
    auto built = build(app, image);
    ASSERT_TRUE(built.ok) << built.error;
    fs::path tree = scratch.path() / "tree";
    command_output("fsck.erofs --extract='" + tree.string() + "' '" + image.string() + "' 2>&1");
    EXPECT_FALSE(fs::exists(tree / "app/.git"));
    EXPECT_EQ(fs::read_symlink(tree / "app/lib/tool"), "../bin/tool");
    std::string tool = command_output("dump.erofs --path=/app/bin/tool '" + image.string() + "'");
    EXPECT_NE(tool.find("Access: 0755"), std::string::npos) << tool;
    EXPECT_NE(read_text(tree / "kiln/manifest.json").find("\"/app/lib/start.js\""), std::string::npos);
}

// Every failure names its cause and leaves no staging folder or partial image behind;
// an image already at the output path survives.
TEST(RootImage, FailuresAreClearAndLeaveNothingBehind)
{
    Scratch scratch { "root-image" };
    fs::path out = scratch.path() / "out";
    fs::create_directories(out);
    write_text(out / "root.erofs", "previous image");
    struct Case {
        const char* what;
        std::string package_json; // empty: no package.json
        const char* expected;
    };
    const Case cases[] = {
        { "no package.json", "", "package.json not found" },
        { "main missing", R"({"main": "server.js"})", "\"main\" is server.js" },
        { "no index.js", R"({"name": "x"})", "\"main\" is index.js" },
        { "main outside", R"({"main": "../etc/passwd"})", "must be a path inside the app folder" },
        { "main not a string", R"({"main": 1})", "\"main\" must be a string" },
        { "bad JSON", R"({"main": )", "package.json: byte" },
    };
    for (const Case& c : cases) {
        fs::path app = scratch.path() / c.what;
        fs::create_directories(app);
        if (!c.package_json.empty())
            write_text(app / "package.json", c.package_json);
        auto built = build(app, out / "root.erofs");
        EXPECT_FALSE(built.ok) << c.what;
        EXPECT_NE(built.error.find(c.expected), std::string::npos) << c.what << ": " << built.error;
    }
    auto no_runtime = build_root_image({ hello_app(), scratch.path() / "nope", out / "root.erofs" });
    EXPECT_NE(no_runtime.error.find("runtime"), std::string::npos) << no_runtime.error;
    auto no_app = build(scratch.path() / "missing", out / "root.erofs");
    EXPECT_NE(no_app.error.find("does not exist"), std::string::npos) << no_app.error;

    // A special file in the app fails after staging has started.
    fs::path fifo_app = scratch.path() / "fifo";
    write_text(fifo_app / "package.json", "{}");
    write_text(fifo_app / "index.js", "");
    ASSERT_EQ(mkfifo((fifo_app / "pipe").c_str(), 0644), 0);
    auto fifo = build(fifo_app, out / "root.erofs");
    EXPECT_NE(fifo.error.find("is not a file, folder or symlink"), std::string::npos) << fifo.error;

    EXPECT_EQ(read_text(out / "root.erofs"), "previous image");
    EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator()), 1);
}

} // namespace
} // namespace kiln::initrd

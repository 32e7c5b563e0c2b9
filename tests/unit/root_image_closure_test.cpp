// Library resolution for the root image: ld.so.conf parsing, RPATH/RUNPATH expansion,
// and the DT_NEEDED closure of programs compiled here with cc (which must exist: the
// test fails, never skips, without it).

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "elf_samples.h"
#include "library_closure.h"
#include "library_search.h"
#include "scratch_dir.h"

namespace kiln::initrd {
namespace {

namespace fs = std::filesystem;
using exec::testing::command_output;
using kiln::testing::write_text;
using Scratch = kiln::testing::ScratchDir;

TEST(LibrarySearch, ExpandsOriginAndFriends)
{
    auto dirs = expand_search_path("$ORIGIN/../lib:${ORIGIN}/x::/abs:$ORIGINAL:$LIB/y:${PLATFORM}", "/opt/app/bin");
    std::vector<fs::path> expected
        = { "/opt/app/bin/../lib", "/opt/app/bin/x", "/abs", "$ORIGINAL", "lib/x86_64-linux-gnu/y", "x86_64" };
    EXPECT_EQ(dirs, expected);
    EXPECT_TRUE(expand_search_path("", "/x").empty());
}

TEST(LibrarySearch, ReadsLdSoConfWithIncludes)
{
    Scratch scratch { "closure" };
    write_text(
        scratch.path() / "ld.so.conf", "# comment\ninclude conf.d/*.conf\n/first # trailing\n\nhwcap 0 nosegneg\n");
    write_text(scratch.path() / "conf.d/b.conf", "/from-b\n");
    write_text(scratch.path() / "conf.d/a.conf", "  /from-a  \n/old-style=libc6\n");
    write_text(scratch.path() / "conf.d/ignored.txt", "/nope\n");
    std::vector<fs::path> expected = { "/from-a", "/old-style", "/from-b", "/first" };
    EXPECT_EQ(read_ld_so_conf(scratch.path() / "ld.so.conf"), expected);
    EXPECT_TRUE(read_ld_so_conf(scratch.path() / "missing.conf").empty());
}

TEST(LibraryClosure, RuntimeClosureMatchesLdd)
{
    auto result = resolve_library_closure(exec::testing::runtime_binary(), SearchConfig::host());
    ASSERT_TRUE(result.closure) << result.error;
    ASSERT_TRUE(result.closure->interpreter);
    EXPECT_EQ(result.closure->interpreter->path, "/lib64/ld-linux-x86-64.so.2");
    EXPECT_EQ(result.closure->interpreter->soname, "ld-linux-x86-64.so.2");
    // ldd asks the real loader; every library it lists (not the vDSO, not the loader)
    // must be in the closure, as the same real file.
    std::string ldd = command_output("ldd '" + exec::testing::runtime_binary().string() + "'");
    std::istringstream lines(ldd);
    std::string line;
    size_t listed = 0;
    while (std::getline(lines, line)) {
        auto arrow = line.find(" => ");
        if (arrow == std::string::npos)
            continue;
        std::string name = line.substr(0, arrow);
        name.erase(0, name.find_first_not_of(" \t"));
        std::string path = line.substr(arrow + 4, line.rfind(" (") - arrow - 4);
        ++listed;
        bool found = false;
        for (const SharedLibrary& library : result.closure->libraries) {
            if (library.name == name) {
                found = true;
                EXPECT_EQ(library.file, fs::canonical(path)) << name;
            }
        }
        EXPECT_TRUE(found) << name << " missing from the closure";
    }
    EXPECT_EQ(listed, result.closure->libraries.size());
    EXPECT_EQ(result.closure->libraries.front().name, "libnode.so.108");
    EXPECT_EQ(result.closure->libraries.front().needed_by, "kiln-runtime");
}

// A program whose library sits in $ORIGIN/../lib, found through DT_RUNPATH, which in
// turn needs a second library found through the first one's own RUNPATH.
class CompiledProgram : public ::testing::Test {
protected:
    void SetUp() override
    {
        fs::path dir = m_scratch.path();
        write_text(dir / "two.c", "int two(void) { return 2; }\n");
        write_text(dir / "one.c", "int two(void);\nint one(void) { return two() - 1; }\n");
        write_text(dir / "main.c", "int one(void);\nint main(void) { return one(); }\n");
        fs::create_directories(dir / "app/lib");
        fs::create_directories(dir / "app/bin");
        fs::create_directories(dir / "app/deep");
        command_output("cd '" + dir.string()
            + "' && cc -shared -fPIC -o app/deep/libtwo.so.2 -Wl,-soname,libtwo.so.2 two.c"
              " && cc -shared -fPIC -o app/lib/libone.so.1 -Wl,-soname,libone.so.1 one.c -Lapp/deep -l:libtwo.so.2"
              " -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../deep'"
              " && cc -o app/bin/prog main.c -Lapp/lib -l:libone.so.1 -Wl,--enable-new-dtags,-rpath,'$ORIGIN/../lib'"
              " -Wl,-rpath-link,app/deep 2>&1");
        // The program itself runs, so the layout is what the real loader accepts.
        command_output("'" + (dir / "app/bin/prog").string() + "'; test $? = 1");
    }

    Scratch m_scratch { "closure" };
};

TEST_F(CompiledProgram, FollowsRunpathsWithOrigin)
{
    auto result = resolve_library_closure(m_scratch.path() / "app/bin/prog", SearchConfig::host());
    ASSERT_TRUE(result.closure) << result.error;
    std::vector<std::string> names;
    for (const SharedLibrary& library : result.closure->libraries)
        names.push_back(library.name);
    ASSERT_GE(names.size(), 3u);
    EXPECT_EQ(names[0], "libone.so.1");
    EXPECT_EQ(result.closure->libraries[0].file, fs::canonical(m_scratch.path() / "app/lib/libone.so.1"));
    EXPECT_NE(std::find(names.begin(), names.end(), "libtwo.so.2"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "libc.so.6"), names.end());
}

TEST_F(CompiledProgram, MissingLibraryNamesItAndWhoNeedsIt)
{
    fs::remove(m_scratch.path() / "app/deep/libtwo.so.2");
    auto result = resolve_library_closure(m_scratch.path() / "app/bin/prog", SearchConfig::host());
    ASSERT_FALSE(result.closure);
    EXPECT_NE(result.error.find("library libtwo.so.2 (needed by libone.so.1) not found"), std::string::npos)
        << result.error;
}

TEST_F(CompiledProgram, WrongArchitectureCandidatesAreSkipped)
{
    // A non-ELF file where RUNPATH points first: the loader skips it and so do we,
    // and then nothing else provides libtwo.
    fs::remove(m_scratch.path() / "app/deep/libtwo.so.2");
    write_text(m_scratch.path() / "app/deep/libtwo.so.2", "not an ELF file");
    auto result = resolve_library_closure(m_scratch.path() / "app/bin/prog", SearchConfig::host());
    EXPECT_FALSE(result.closure);
}

TEST(LibraryClosure, NotAnElfFile)
{
    Scratch scratch { "closure" };
    write_text(scratch.path() / "script", "#!/bin/sh\n");
    auto result = resolve_library_closure(scratch.path() / "script", SearchConfig::host());
    ASSERT_FALSE(result.closure);
    EXPECT_NE(result.error.find("is not an x86-64 ELF"), std::string::npos) << result.error;
}

} // namespace
} // namespace kiln::initrd

#include "elf_samples.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>

#include "scratch_dir.h"

namespace kiln::exec::testing {

namespace fs = std::filesystem;

std::vector<uint8_t> read_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << "cannot read " << path;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

fs::path build_dir() { return fs::read_symlink("/proc/self/exe").parent_path().parent_path().parent_path(); }

fs::path runtime_binary() { return build_dir() / "runtime" / "kiln-runtime"; }

fs::path libnode_library() { return build_dir() / "deps/libnode/usr/lib/x86_64-linux-gnu/libnode.so.108"; }

fs::path static_binary()
{
    static kiln::testing::ScratchDir folder { "elf-static" }; // removed when the tests exit
    static fs::path binary = [] {
        fs::path source = folder.path() / "static.c";
        std::ofstream(source) << "int main(void) { return 0; }\n";
        fs::path out = folder.path() / "static";
        std::string command = "cc -static -O1 -o '" + out.string() + "' '" + source.string() + "' 2>&1";
        return std::system(command.c_str()) == 0 ? out : fs::path();
    }();
    EXPECT_FALSE(binary.empty()) << "cc -static failed: install gcc and libc6-dev";
    return binary;
}

fs::path sample_binary(const std::string& name)
{
    if (name == "true")
        return "/bin/true";
    if (name == "kiln-runtime")
        return runtime_binary();
    if (name == "ld.so")
        return "/lib64/ld-linux-x86-64.so.2";
    if (name == "libnode")
        return libnode_library();
    if (name == "static")
        return static_binary();
    ADD_FAILURE() << "no sample " << name;
    return {};
}

std::vector<fs::path> sample_binaries()
{
    std::vector<fs::path> paths;
    for (const char* name : SAMPLE_NAMES)
        paths.push_back(sample_binary(name));
    return paths;
}

std::string command_output(const std::string& command)
{
    FILE* pipe = popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr) << command;
    if (!pipe)
        return {};
    std::string out;
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof(buffer), pipe))
        out.append(buffer, n);
    int status = pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command << " failed";
    return out;
}

ReadelfView readelf(const fs::path& path)
{
    ReadelfView view;
    std::istringstream lines(command_output("LC_ALL=C readelf -hlW -dW '" + path.string() + "'"));
    static const std::regex type(R"(^\s*Type:\s+(EXEC|DYN)\b)");
    static const std::regex entry(R"(^\s*Entry point address:\s+0x([0-9a-f]+))");
    static const std::regex segment(
        R"(^\s+(\w+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x[0-9a-f]+ 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$)");
    static const std::regex interp(R"(\[Requesting program interpreter: (.*)\]$)");
    static const std::regex dynamic(R"(\((NEEDED|SONAME|RUNPATH|RPATH)\)\s+[^\[]*\[(.*)\]$)");
    std::string line;
    std::smatch m;
    auto hex = [](const std::string& s) { return std::stoull(s, nullptr, 16); };
    while (std::getline(lines, line)) {
        if (std::regex_search(line, m, type)) {
            view.type = m[1];
        } else if (std::regex_search(line, m, entry)) {
            view.entry = hex(m[1]);
        } else if (std::regex_match(line, m, segment)) {
            view.segments.push_back({ m[1], hex(m[2]), hex(m[3]), hex(m[4]), hex(m[5]), hex(m[7]), m[6] });
        } else if (std::regex_search(line, m, interp)) {
            view.interpreter = m[1];
        } else if (std::regex_search(line, m, dynamic)) {
            if (m[1] == "NEEDED")
                view.needed.push_back(m[2]);
            else if (m[1] == "SONAME")
                view.soname = m[2];
            else if (m[1] == "RUNPATH")
                view.runpath = m[2];
            else
                view.rpath = m[2];
        }
    }
    return view;
}

} // namespace kiln::exec::testing

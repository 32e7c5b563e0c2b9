#pragma once

// Real ELF files for the ELF parser tests, and readelf's view of them to cross-check
// against. Missing tools or files fail the test (never skip): every development
// machine has binutils, a C compiler and a built tree.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiln::exec::testing {

std::vector<uint8_t> read_file(const std::filesystem::path& path);

// The build tree this test binary lives in (build/tests/unit/kiln_unit_tests → build).
std::filesystem::path build_dir();

// Samples by name: /bin/true, the runtime, glibc's loader, libnode, and a static
// executable compiled on first use with `cc -static`. Names, not paths, parameterize
// tests so that listing them compiles nothing.
inline constexpr const char* SAMPLE_NAMES[] = { "true", "kiln-runtime", "ld.so", "libnode", "static" };
std::filesystem::path sample_binary(const std::string& name);
std::vector<std::filesystem::path> sample_binaries();
std::filesystem::path runtime_binary();
std::filesystem::path libnode_library();
std::filesystem::path static_binary();

// Runs a command with the shell and returns its standard output (fails the current
// test on a non-zero exit).
std::string command_output(const std::string& command);

// What `readelf -lW -dW` says about a file.
struct ReadelfSegment {
    std::string type;
    uint64_t offset = 0, vaddr = 0, filesz = 0, memsz = 0, align = 0;
    std::string flags; // "R E", "RW " as readelf prints them
};
struct ReadelfView {
    std::string type; // "EXEC" or "DYN"
    uint64_t entry = 0;
    std::vector<ReadelfSegment> segments;
    std::optional<std::string> interpreter;
    std::vector<std::string> needed;
    std::optional<std::string> soname, runpath, rpath;
};
ReadelfView readelf(const std::filesystem::path& path);

} // namespace kiln::exec::testing

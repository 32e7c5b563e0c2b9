// The ELF parser against malformed input: hand-made images that break one rule each,
// truncations and random byte flips of real binaries. Every rejection is ENOEXEC and
// nothing reads outside the image (exercise_elf touches whatever the parser accepts).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <random>

#include "elf_exercise.h"
#include "elf_samples.h"
#include "exec/elf.h"
#include "exec/elf_dynamic.h"

namespace kiln::exec {
namespace {

using namespace elf;
using testing::exercise_elf;

// A small valid PIE: header, program headers, then a 4 KiB page of text at file offset
// 0x1000 mapped at 0x1000. Tests edit one field and expect the parser to refuse.
struct Synthetic {
    Elf64Header header {};
    std::vector<Elf64ProgramHeader> headers;
    std::vector<uint8_t> tail = std::vector<uint8_t>(0x2000, 0x90);

    Synthetic()
    {
        std::memcpy(header.e_ident, ELFMAG, 4);
        header.e_ident[EI_CLASS] = ELFCLASS64;
        header.e_ident[EI_DATA] = ELFDATA2LSB;
        header.e_ident[EI_VERSION] = EV_CURRENT;
        header.e_type = ET_DYN;
        header.e_machine = EM_X86_64;
        header.e_version = EV_CURRENT;
        header.e_entry = 0x1010;
        header.e_phoff = sizeof(Elf64Header);
        header.e_ehsize = sizeof(Elf64Header);
        header.e_phentsize = sizeof(Elf64ProgramHeader);
        headers.push_back({ PT_LOAD, PF_R, 0, 0, 0, 0x200, 0x200, 0x1000 });
        headers.push_back({ PT_LOAD, PF_R | PF_X, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000 });
        headers.push_back({ PT_LOAD, PF_R | PF_W, 0x2000, 0x3000, 0x3000, 0x100, 0x2000, 0x1000 });
        headers.push_back({ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 });
    }

    // Places `bytes` at `offset` in the file (inside the tail, which starts at 0x1000).
    void put(uint64_t offset, std::string_view bytes)
    {
        std::memcpy(tail.data() + (offset - 0x1000), bytes.data(), bytes.size());
    }
    void add_interp(std::string_view path_with_nul, uint64_t offset = 0x1800)
    {
        put(offset, path_with_nul);
        headers.push_back({ PT_INTERP, PF_R, offset, offset, offset, path_with_nul.size(), path_with_nul.size(), 1 });
    }

    std::vector<uint8_t> bytes()
    {
        header.e_phnum = static_cast<uint16_t>(headers.size());
        std::vector<uint8_t> out(0x1000, 0);
        std::memcpy(out.data(), &header, sizeof(header));
        std::memcpy(out.data() + sizeof(header), headers.data(), headers.size() * sizeof(Elf64ProgramHeader));
        out.insert(out.end(), tail.begin(), tail.end());
        return out;
    }

    Result<ElfImage> parse()
    {
        m_bytes = bytes();
        return ElfImage::try_parse(m_bytes);
    }

private:
    std::vector<uint8_t> m_bytes;
};

void expect_noexec(Synthetic& s, const char* what)
{
    auto r = s.parse();
    EXPECT_FALSE(r) << what;
    if (!r) {
        EXPECT_EQ(r.error(), Errno::NOEXEC) << what;
    }
    std::vector<uint8_t> bytes = s.bytes();
    exercise_elf(bytes);
}

TEST(ElfSynthetic, BaselineIsValid)
{
    Synthetic s;
    s.add_interp(std::string_view("/lib/ld.so\0", 11));
    auto elf = s.parse();
    ASSERT_TRUE(elf);
    EXPECT_EQ(elf->interpreter(), "/lib/ld.so");
    EXPECT_EQ(elf->min_vaddr(), 0u);
    EXPECT_EQ(elf->max_vaddr(), 0x5000u);
    EXPECT_TRUE(elf->entry_is_executable());
    EXPECT_EQ(elf->program_headers_vaddr(), sizeof(Elf64Header));
    EXPECT_EQ(elf->file_offset(0x1100, 0x10), 0x1100u);
    EXPECT_EQ(elf->file_offset(0x3080, 0x80), 0x2080u);
    EXPECT_FALSE(elf->file_offset(0x3080, 0x81)); // reaches the zero-filled tail
    EXPECT_FALSE(elf->wants_executable_stack());
}

TEST(ElfSynthetic, IdentAndHeaderFields)
{
    struct Case {
        const char* what;
        void (*edit)(Elf64Header&);
    };
    const Case cases[] = {
        { "magic", [](Elf64Header& h) { h.e_ident[1] = 'e'; } },
        { "ELFCLASS32", [](Elf64Header& h) { h.e_ident[EI_CLASS] = 1; } },
        { "big-endian", [](Elf64Header& h) { h.e_ident[EI_DATA] = 2; } },
        { "ident version", [](Elf64Header& h) { h.e_ident[EI_VERSION] = 0; } },
        { "e_version", [](Elf64Header& h) { h.e_version = 2; } },
        { "i386", [](Elf64Header& h) { h.e_machine = 3; } },
        { "aarch64", [](Elf64Header& h) { h.e_machine = 183; } },
        { "ET_REL", [](Elf64Header& h) { h.e_type = 1; } },
        { "ET_CORE", [](Elf64Header& h) { h.e_type = 4; } },
        { "phentsize", [](Elf64Header& h) { h.e_phentsize = 64; } },
        { "phoff past end", [](Elf64Header& h) { h.e_phoff = 0x3000; } },
        { "phoff wraps", [](Elf64Header& h) { h.e_phoff = ~0ull - 8; } },
    };
    for (const Case& c : cases) {
        Synthetic s;
        c.edit(s.header);
        expect_noexec(s, c.what);
    }
}

TEST(ElfSynthetic, ProgramHeaderCount)
{
    Synthetic none;
    none.headers.clear();
    expect_noexec(none, "no program headers");

    Synthetic no_load;
    no_load.headers.erase(no_load.headers.begin(), no_load.headers.begin() + 3);
    expect_noexec(no_load, "no PT_LOAD");

    Synthetic xnum;
    auto bytes = xnum.bytes();
    uint16_t phnum = PN_XNUM;
    std::memcpy(bytes.data() + offsetof(Elf64Header, e_phnum), &phnum, 2);
    EXPECT_EQ(ElfImage::try_parse(bytes).error(), Errno::NOEXEC);
}

// Each case breaks one rule on the last PT_LOAD (file 0x2000, vaddr 0x3000, filesz
// 0x100, memsz 0x2000), so ordering rules cannot be what rejects it.
TEST(ElfSynthetic, LoadSegmentRules)
{
    struct Case {
        const char* what;
        void (*edit)(Elf64ProgramHeader&);
    };
    const Case cases[] = {
        { "filesz > memsz", [](Elf64ProgramHeader& p) { p.p_memsz = 0x80; } },
        { "file bytes past the end", [](Elf64ProgramHeader& p) { p.p_filesz = 0x1001; } },
        { "offset + filesz wraps", [](Elf64ProgramHeader& p) { p.p_offset = ~0ull - 0xfff; } },
        { "vaddr + memsz wraps", [](Elf64ProgramHeader& p) { p.p_vaddr = ~0ull - 0xfff; } },
        { "above user space", [](Elf64ProgramHeader& p) { p.p_vaddr = ELF_USER_ADDRESS_LIMIT - 0x1000; } },
        { "offset and vaddr disagree mod align", [](Elf64ProgramHeader& p) { p.p_vaddr += 0x10; } },
        { "align not a power of two", [](Elf64ProgramHeader& p) { p.p_align = 0x3000; } },
        { "page congruence with small align",
            [](Elf64ProgramHeader& p) {
                p.p_align = 16;
                p.p_vaddr += 0x10;
            } },
    };
    for (const Case& c : cases) {
        Synthetic s;
        c.edit(s.headers[2]);
        expect_noexec(s, c.what);
    }
    Synthetic huge_align;
    huge_align.headers[1].p_align = 0x200000; // 0x1000 ≡ 0x1000 (mod 2 MiB): valid
    EXPECT_TRUE(huge_align.parse());
    Synthetic at_the_top;
    at_the_top.headers[2].p_vaddr = ELF_USER_ADDRESS_LIMIT - 0x2000; // ends exactly at the limit
    EXPECT_TRUE(at_the_top.parse());
}

TEST(ElfSynthetic, LoadOrderAndOverlap)
{
    Synthetic descending;
    std::swap(descending.headers[1], descending.headers[2]);
    expect_noexec(descending, "PT_LOAD not in ascending p_vaddr");

    Synthetic overlap;
    overlap.headers[2].p_vaddr = 0x1000 + 0x800;
    overlap.headers[2].p_offset = 0x1800;
    expect_noexec(overlap, "overlapping PT_LOAD");
}

TEST(ElfSynthetic, InterpreterRules)
{
    Synthetic no_nul;
    no_nul.add_interp("/lib/ld.so");
    expect_noexec(no_nul, "PT_INTERP without NUL");

    Synthetic interior;
    interior.add_interp(std::string_view("/lib\0/ld.so\0", 12));
    expect_noexec(interior, "NUL inside PT_INTERP");

    Synthetic empty;
    empty.add_interp(std::string_view("\0", 1));
    expect_noexec(empty, "empty PT_INTERP");

    Synthetic twice;
    twice.add_interp(std::string_view("/a\0", 3));
    twice.add_interp(std::string_view("/b\0", 3), 0x1900);
    expect_noexec(twice, "two PT_INTERP");

    Synthetic too_long;
    too_long.add_interp(std::string_view("/x\0", 3));
    too_long.headers.back().p_filesz = ELF_MAX_INTERPRETER_BYTES + 1;
    expect_noexec(too_long, "PT_INTERP longer than PATH_MAX");

    Synthetic outside;
    outside.add_interp(std::string_view("/x\0", 3));
    outside.headers.back().p_offset = 0x2fff;
    expect_noexec(outside, "PT_INTERP past the end");
}

TEST(ElfSynthetic, TlsAndDynamicBounds)
{
    Synthetic tls;
    tls.headers.push_back({ PT_TLS, PF_R, 0x2000, 0x3000, 0x3000, 0x20, 0x10, 8 });
    expect_noexec(tls, "PT_TLS filesz > memsz");

    Synthetic tls_align;
    tls_align.headers.push_back({ PT_TLS, PF_R, 0x2000, 0x3000, 0x3000, 0x10, 0x20, 24 });
    expect_noexec(tls_align, "PT_TLS align not a power of two");

    Synthetic dynamic;
    dynamic.headers.push_back({ PT_DYNAMIC, PF_R | PF_W, 0x2ff0, 0x3ff0, 0x3ff0, 0x20, 0x20, 8 });
    expect_noexec(dynamic, "PT_DYNAMIC past the end");
}

// Dynamic section at file 0x2000 (vaddr 0x3000), string table at file 0x1c00 (vaddr 0x1c00).
Synthetic with_dynamic(std::vector<Elf64Dyn> entries,
    std::string_view strtab = std::string_view("\0libc.so.6\0libx.so\0$ORIGIN/../lib\0", 35))
{
    Synthetic s;
    s.put(0x1c00, strtab);
    s.put(0x2000, std::string_view(reinterpret_cast<const char*>(entries.data()), entries.size() * sizeof(Elf64Dyn)));
    s.headers[2].p_filesz = entries.size() * sizeof(Elf64Dyn);
    s.headers.push_back(
        { PT_DYNAMIC, PF_R | PF_W, 0x2000, 0x3000, 0x3000, s.headers[2].p_filesz, s.headers[2].p_filesz, 8 });
    return s;
}

TEST(ElfSynthetic, DynamicNames)
{
    Synthetic s = with_dynamic({ { DT_NEEDED, 1 }, { DT_STRTAB, 0x1c00 }, { DT_STRSZ, 35 }, { DT_NEEDED, 11 },
        { DT_RUNPATH, 19 }, { DT_SONAME, 11 }, { DT_NULL, 0 }, { DT_NEEDED, 1 } });
    auto elf = s.parse();
    ASSERT_TRUE(elf);
    auto dyn = ElfDynamic::try_parse(*elf);
    ASSERT_TRUE(dyn);
    ASSERT_EQ(dyn->needed_count(), 2u); // the entry after DT_NULL does not count
    EXPECT_EQ(dyn->needed(0), "libc.so.6");
    EXPECT_EQ(dyn->needed(1), "libx.so");
    EXPECT_EQ(dyn->runpath(), "$ORIGIN/../lib");
    EXPECT_EQ(dyn->soname(), "libx.so");
    EXPECT_FALSE(dyn->rpath());
}

TEST(ElfSynthetic, DynamicMalformed)
{
    struct Case {
        const char* what;
        std::vector<Elf64Dyn> entries;
    };
    const Case cases[] = {
        { "DT_NEEDED past DT_STRSZ", { { DT_STRTAB, 0x1c00 }, { DT_STRSZ, 35 }, { DT_NEEDED, 35 } } },
        { "DT_NEEDED far away", { { DT_STRTAB, 0x1c00 }, { DT_STRSZ, 35 }, { DT_NEEDED, ~0ull } } },
        { "string runs off the table", { { DT_STRTAB, 0x1c00 }, { DT_STRSZ, 5 }, { DT_NEEDED, 1 } } },
        { "no DT_STRTAB", { { DT_STRSZ, 35 }, { DT_NEEDED, 1 } } },
        { "no DT_STRSZ", { { DT_STRTAB, 0x1c00 }, { DT_NEEDED, 1 } } },
        { "DT_STRTAB unmapped", { { DT_STRTAB, 0x9000 }, { DT_STRSZ, 35 }, { DT_NEEDED, 1 } } },
        { "DT_STRTAB in the zero tail", { { DT_STRTAB, 0x3100 }, { DT_STRSZ, 35 }, { DT_SONAME, 1 } } },
        { "DT_STRSZ wraps", { { DT_STRTAB, 0x1c00 }, { DT_STRSZ, ~0ull }, { DT_RPATH, 1 } } },
    };
    for (const Case& c : cases) {
        Synthetic s = with_dynamic(c.entries);
        auto elf = s.parse();
        ASSERT_TRUE(elf) << c.what;
        auto dyn = ElfDynamic::try_parse(*elf);
        EXPECT_FALSE(dyn) << c.what;
        if (!dyn) {
            EXPECT_EQ(dyn.error(), Errno::NOEXEC) << c.what;
        }
    }
}

// Cutting a real binary anywhere in its first 4 KiB leaves PT_LOADs pointing past the
// end (or no program headers at all): always ENOEXEC.
TEST(ElfCorruption, TruncatedEvery64Bytes)
{
    for (const auto& path : testing::sample_binaries()) {
        std::vector<uint8_t> bytes = testing::read_file(path);
        ASSERT_GT(bytes.size(), 4096u) << path;
        for (size_t size = 0; size <= 4096; size += 64) {
            std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + size);
            auto r = ElfImage::try_parse(cut);
            ASSERT_FALSE(r) << path << " cut at " << size;
            EXPECT_EQ(r.error(), Errno::NOEXEC);
        }
    }
}

// Random corruption of the headers and dynamic section of real binaries, with fixed
// seeds so a failure reproduces. Whatever the parser accepts must stay in bounds.
TEST(ElfCorruption, RandomByteFlips)
{
    for (const auto& path : testing::sample_binaries()) {
        std::vector<uint8_t> original = testing::read_file(path);
        auto elf = ElfImage::try_parse(original);
        ASSERT_TRUE(elf);
        // Cover the header table and the dynamic section, where names live.
        std::vector<std::pair<size_t, size_t>> regions = { { 0, 4096 } };
        if (auto dyn = elf->dynamic())
            regions.push_back({ dyn->offset, dyn->filesz });
        size_t accepted = 0, rejected = 0;
        std::vector<uint8_t> bytes = original;
        for (uint32_t seed = 1; seed <= 4; ++seed) {
            std::mt19937 random(seed);
            for (int round = 0; round < 500; ++round) {
                auto [start, length] = regions[random() % regions.size()];
                size_t flips = 1 + random() % 8;
                size_t where[8];
                for (size_t i = 0; i < flips; ++i) {
                    where[i] = start + random() % length;
                    bytes[where[i]] ^= static_cast<uint8_t>(1u << (random() % 8));
                }
                if (exercise_elf(bytes))
                    ++accepted;
                else
                    ++rejected;
                for (size_t i = 0; i < flips; ++i)
                    bytes[where[i]] = original[where[i]];
            }
        }
        // Most flips land in bytes no rule checks, but some must hit one.
        EXPECT_GT(accepted, 0u) << path;
        EXPECT_GT(rejected, 0u) << path;
    }
}

// Truncations inside the dynamic section never over-read; truncations that cut into
// the last PT_LOAD's file bytes are refused, and the section headers after it (which
// loading never needs) may go.
TEST(ElfCorruption, TruncatedAnywhereInTheTables)
{
    std::vector<uint8_t> bytes = testing::read_file(testing::runtime_binary());
    auto elf = ElfImage::try_parse(bytes);
    ASSERT_TRUE(elf);
    auto dyn = elf->dynamic().value();
    for (size_t size = dyn.offset; size <= dyn.offset + dyn.filesz; size += 8) {
        std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + size);
        exercise_elf(cut);
    }
    size_t loads_end = 0;
    for (ElfSegment load : elf->load_segments())
        loads_end = std::max<size_t>(loads_end, load.offset + load.filesz);
    ASSERT_LT(loads_end, bytes.size());
    for (size_t size = loads_end - 256; size < loads_end; ++size)
        EXPECT_FALSE(ElfImage::try_parse(std::span(bytes).first(size))) << size;
    EXPECT_TRUE(ElfImage::try_parse(std::span(bytes).first(loads_end)));
}

} // namespace
} // namespace kiln::exec

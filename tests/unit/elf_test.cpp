// The ELF parser against real binaries on this machine, cross-checked with readelf.

#include <gtest/gtest.h>

#include "elf_samples.h"
#include "exec/elf.h"
#include "exec/elf_dynamic.h"

namespace kiln::exec {
namespace {

using namespace testing;
namespace fs = std::filesystem;

std::string flags_as_readelf(uint32_t flags)
{
    std::string s;
    s += (flags & elf::PF_R) ? 'R' : ' ';
    s += (flags & elf::PF_W) ? 'W' : ' ';
    s += (flags & elf::PF_X) ? 'E' : ' ';
    return s;
}

uint32_t type_of(const std::string& readelf_type)
{
    if (readelf_type == "LOAD")
        return elf::PT_LOAD;
    if (readelf_type == "INTERP")
        return elf::PT_INTERP;
    if (readelf_type == "DYNAMIC")
        return elf::PT_DYNAMIC;
    if (readelf_type == "TLS")
        return elf::PT_TLS;
    if (readelf_type == "GNU_STACK")
        return elf::PT_GNU_STACK;
    if (readelf_type == "PHDR")
        return elf::PT_PHDR;
    return ~0u; // types the parser has no opinion about
}

void expect_same(const ElfSegment& ours, const ReadelfSegment& theirs)
{
    EXPECT_EQ(ours.offset, theirs.offset) << theirs.type;
    EXPECT_EQ(ours.vaddr, theirs.vaddr) << theirs.type;
    EXPECT_EQ(ours.filesz, theirs.filesz) << theirs.type;
    EXPECT_EQ(ours.memsz, theirs.memsz) << theirs.type;
    EXPECT_EQ(ours.align, theirs.align) << theirs.type;
    EXPECT_EQ(flags_as_readelf(ours.flags), theirs.flags) << theirs.type;
}

class ElfSampleTest : public ::testing::TestWithParam<const char*> { };

TEST_P(ElfSampleTest, MatchesReadelf)
{
    fs::path path = sample_binary(GetParam());
    std::vector<uint8_t> bytes = read_file(path);
    ASSERT_FALSE(bytes.empty());
    auto parsed = ElfImage::try_parse(bytes);
    ASSERT_TRUE(parsed) << errno_name(parsed.error());
    ReadelfView view = readelf(path);

    EXPECT_EQ(parsed->type(), view.type == "EXEC" ? ElfType::Executable : ElfType::SharedObject);
    EXPECT_EQ(parsed->entry(), view.entry);
    ASSERT_EQ(parsed->program_header_count(), view.segments.size());

    std::vector<ReadelfSegment> loads;
    for (size_t i = 0; i < view.segments.size(); ++i) {
        ElfSegment ours = parsed->program_header(i);
        EXPECT_EQ(ours.type == type_of(view.segments[i].type) || type_of(view.segments[i].type) == ~0u, true)
            << "header " << i << " is " << view.segments[i].type;
        expect_same(ours, view.segments[i]);
        if (view.segments[i].type == "LOAD")
            loads.push_back(view.segments[i]);
        if (view.segments[i].type == "TLS")
            expect_same(parsed->tls().value(), view.segments[i]);
        if (view.segments[i].type == "DYNAMIC")
            expect_same(parsed->dynamic().value(), view.segments[i]);
        if (view.segments[i].type == "GNU_STACK") {
            EXPECT_EQ(flags_as_readelf(parsed->gnu_stack_flags().value()), view.segments[i].flags);
            EXPECT_FALSE(parsed->wants_executable_stack());
        }
        if (view.segments[i].type == "PHDR") {
            EXPECT_EQ(parsed->program_headers_vaddr(), view.segments[i].vaddr);
        }
    }
    size_t n = 0;
    for (ElfSegment load : parsed->load_segments()) {
        ASSERT_LT(n, loads.size());
        expect_same(load, loads[n++]);
    }
    EXPECT_EQ(n, loads.size());
    EXPECT_EQ(parsed->load_segment_count(), loads.size());
    EXPECT_EQ(parsed->min_vaddr(), loads.front().vaddr & ~0xfffull);
    EXPECT_EQ(parsed->max_vaddr(), (loads.back().vaddr + loads.back().memsz + 0xfff) & ~0xfffull);
    EXPECT_EQ(parsed->interpreter(), view.interpreter);

    auto dynamic = ElfDynamic::try_parse(*parsed);
    ASSERT_TRUE(dynamic);
    std::vector<std::string> needed;
    for (size_t i = 0; i < dynamic->needed_count(); ++i)
        needed.emplace_back(dynamic->needed(i));
    EXPECT_EQ(needed, view.needed);
    EXPECT_EQ(dynamic->soname(), view.soname);
    EXPECT_EQ(dynamic->runpath(), view.runpath);
    EXPECT_EQ(dynamic->rpath(), view.rpath);
}

INSTANTIATE_TEST_SUITE_P(RealBinaries, ElfSampleTest, ::testing::ValuesIn(SAMPLE_NAMES),
    [](const ::testing::TestParamInfo<const char*>& info) {
        std::string name;
        for (char c : std::string(info.param))
            name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        return name;
    });

TEST(ElfKnownFacts, RuntimeIsAPieThatNeedsLibnodeThroughItsRunpath)
{
    std::vector<uint8_t> bytes = read_file(runtime_binary());
    auto elf = ElfImage::try_parse(bytes);
    ASSERT_TRUE(elf);
    EXPECT_EQ(elf->type(), ElfType::SharedObject);
    EXPECT_EQ(elf->interpreter(), "/lib64/ld-linux-x86-64.so.2");
    EXPECT_TRUE(elf->entry_is_executable());
    EXPECT_EQ(elf->min_vaddr(), 0u);
    auto dyn = ElfDynamic::try_parse(*elf);
    ASSERT_TRUE(dyn);
    ASSERT_GE(dyn->needed_count(), 1u);
    EXPECT_EQ(dyn->needed(0), "libnode.so.108");
    ASSERT_TRUE(dyn->runpath());
    EXPECT_TRUE(dyn->runpath()->ends_with("deps/libnode/usr/lib/x86_64-linux-gnu"));
    EXPECT_FALSE(dyn->rpath());
}

TEST(ElfKnownFacts, LoaderHasNoInterpreterAndNamesItself)
{
    std::vector<uint8_t> bytes = read_file("/lib64/ld-linux-x86-64.so.2");
    auto elf = ElfImage::try_parse(bytes);
    ASSERT_TRUE(elf);
    EXPECT_EQ(elf->type(), ElfType::SharedObject);
    EXPECT_FALSE(elf->interpreter());
    EXPECT_TRUE(elf->entry_is_executable());
    auto dyn = ElfDynamic::try_parse(*elf);
    ASSERT_TRUE(dyn);
    EXPECT_EQ(dyn->soname(), "ld-linux-x86-64.so.2");
    EXPECT_EQ(dyn->needed_count(), 0u);
}

TEST(ElfKnownFacts, LibnodeIsALibraryWithItsSoname)
{
    std::vector<uint8_t> bytes = read_file(libnode_library());
    auto elf = ElfImage::try_parse(bytes);
    ASSERT_TRUE(elf);
    auto dyn = ElfDynamic::try_parse(*elf);
    ASSERT_TRUE(dyn);
    EXPECT_EQ(dyn->soname(), "libnode.so.108");
    EXPECT_GE(dyn->needed_count(), 10u);
}

TEST(ElfKnownFacts, StaticExecutableHasAbsoluteAddressesTlsAndMappedHeaders)
{
    std::vector<uint8_t> bytes = read_file(static_binary());
    auto elf = ElfImage::try_parse(bytes);
    ASSERT_TRUE(elf);
    EXPECT_EQ(elf->type(), ElfType::Executable);
    EXPECT_FALSE(elf->interpreter());
    EXPECT_FALSE(elf->dynamic());
    EXPECT_TRUE(elf->tls());
    EXPECT_TRUE(elf->entry_is_executable());
    EXPECT_EQ(elf->min_vaddr(), 0x400000u); // GNU ld's default for x86-64 ET_EXEC
    // No PT_PHDR: AT_PHDR comes from the PT_LOAD that holds the table (Linux's rule).
    EXPECT_EQ(elf->program_headers_vaddr(), 0x400000u + elf->program_headers_offset());
    auto dyn = ElfDynamic::try_parse(*elf);
    ASSERT_TRUE(dyn);
    EXPECT_EQ(dyn->needed_count(), 0u);
}

TEST(ElfKnownFacts, NotElfIsNoexec)
{
    std::vector<uint8_t> script = { '#', '!', '/', 'b', 'i', 'n', '/', 's', 'h', '\n' };
    script.resize(128);
    auto elf = ElfImage::try_parse(script);
    ASSERT_FALSE(elf);
    EXPECT_EQ(elf.error(), Errno::NOEXEC);
    EXPECT_EQ(ElfImage::try_parse({}).error(), Errno::NOEXEC);
}

} // namespace
} // namespace kiln::exec

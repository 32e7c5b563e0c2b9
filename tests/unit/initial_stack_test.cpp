// The initial stack must be exactly what glibc's _start and ld.so expect: argc at %rsp,
// argv and envp NULL-terminated, auxv pairs ending in AT_NULL, 16-byte alignment.

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "exec/initial_stack.h"

using namespace kiln::exec;

namespace {

struct FakeStack {
    static constexpr uint64_t TOP = 0x7ffffffde000;
    std::vector<uint8_t> bytes = std::vector<uint8_t>(64 * 1024);

    uint64_t word(uint64_t address) const
    {
        uint64_t v;
        std::memcpy(&v, &bytes[bytes.size() - (TOP - address)], 8);
        return v;
    }
    std::string string(uint64_t address) const
    {
        return std::string(reinterpret_cast<const char*>(&bytes[bytes.size() - (TOP - address)]));
    }
    const uint8_t* at(uint64_t address) const { return &bytes[bytes.size() - (TOP - address)]; }
};

TEST(InitialStack, LaysOutArgcArgvEnvpAndAuxv)
{
    FakeStack stack;
    std::string_view argv[] = { "/kiln/bin/kiln-runtime", "/app/index.js", "" };
    std::string_view envp[] = { "NODE_ENV=production", "HOME=/" };
    AuxEntry auxv[] = { { AT_PAGESZ, 4096 }, { AT_ENTRY, 0x1234 } };
    uint8_t random[16];
    for (int i = 0; i < 16; ++i)
        random[i] = static_cast<uint8_t>(i * 7);
    InitialStackSpec spec { argv, envp, auxv, random, "x86_64", "/kiln/bin/kiln-runtime" };

    auto rsp = build_initial_stack(stack.bytes, FakeStack::TOP, spec);
    ASSERT_FALSE(rsp.is_error());
    EXPECT_EQ(rsp.value() % 16, 0u);

    uint64_t p = rsp.value();
    ASSERT_EQ(stack.word(p), 3u);
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(stack.string(stack.word(p + 8 + i * 8)), argv[i]);
    EXPECT_EQ(stack.word(p + 8 + 3 * 8), 0u);
    uint64_t env = p + 8 + 4 * 8;
    EXPECT_EQ(stack.string(stack.word(env)), "NODE_ENV=production");
    EXPECT_EQ(stack.string(stack.word(env + 8)), "HOME=/");
    EXPECT_EQ(stack.word(env + 16), 0u);

    std::map<uint64_t, uint64_t> aux;
    uint64_t a = env + 24;
    for (;; a += 16) {
        uint64_t type = stack.word(a);
        if (type == AT_NULL)
            break;
        aux[type] = stack.word(a + 8);
    }
    EXPECT_EQ(aux[AT_PAGESZ], 4096u);
    EXPECT_EQ(aux[AT_ENTRY], 0x1234u);
    EXPECT_EQ(stack.string(aux[AT_PLATFORM]), "x86_64");
    EXPECT_EQ(stack.string(aux[AT_EXECFN]), "/kiln/bin/kiln-runtime");
    EXPECT_EQ(std::memcmp(stack.at(aux[AT_RANDOM]), random, 16), 0);
    // Everything lies within the stack.
    for (auto [type, value] : aux) {
        if (type == AT_PLATFORM || type == AT_EXECFN || type == AT_RANDOM) {
            EXPECT_TRUE(value > p && value < FakeStack::TOP);
        }
    }
}

TEST(InitialStack, AlignmentHoldsForEveryArgumentCount)
{
    uint8_t random[16] = {};
    for (size_t argc = 0; argc < 6; ++argc) {
        for (size_t envc = 0; envc < 4; ++envc) {
            FakeStack stack;
            std::vector<std::string_view> argv(argc, "a");
            std::vector<std::string_view> envp(envc, "K=VV");
            AuxEntry auxv[] = { { AT_PAGESZ, 4096 } };
            InitialStackSpec spec { argv, envp, auxv, random, "x86_64", "x" };
            auto rsp = build_initial_stack(stack.bytes, FakeStack::TOP, spec);
            ASSERT_FALSE(rsp.is_error());
            EXPECT_EQ(rsp.value() % 16, 0u) << argc << " " << envc;
            EXPECT_EQ(stack.word(rsp.value()), argc);
        }
    }
}

TEST(InitialStack, TooLittleRoomIsE2BIG)
{
    std::vector<uint8_t> small(100);
    std::string long_arg(200, 'x');
    std::string_view argv[] = { long_arg };
    uint8_t random[16] = {};
    InitialStackSpec spec { argv, {}, {}, random, "x86_64", "x" };
    auto rsp = build_initial_stack(small, FakeStack::TOP, spec);
    ASSERT_TRUE(rsp.is_error());
    EXPECT_EQ(rsp.error(), kiln::Errno::TOOBIG);
}

}  // namespace

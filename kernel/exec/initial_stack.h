#pragma once

// The process's initial stack as the x86-64 psABI (3.4.1) and Linux's
// fs/binfmt_elf.c create_elf_tables lay it out, from the top down:
//
//   AT_EXECFN string, AT_PLATFORM string, 16 AT_RANDOM bytes, argv and envp strings,
//   padding to 16 bytes, auxv (type, value) pairs ending in AT_NULL, envp pointers and
//   NULL, argv pointers and NULL, argc   <- %rsp, 16-byte aligned
//
// Portable: it writes into a buffer that stands for the top of the stack, so the host
// tests check the exact bytes.

#include <stddef.h>
#include <stdint.h>

#include <span>
#include <string_view>

#include "lib/result.h"

namespace kiln::exec {

// Auxiliary vector types (include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h).
enum AuxType : uint64_t {
    AT_NULL = 0,
    AT_PHDR = 3,
    AT_PHENT = 4,
    AT_PHNUM = 5,
    AT_PAGESZ = 6,
    AT_BASE = 7,
    AT_FLAGS = 8,
    AT_ENTRY = 9,
    AT_UID = 11,
    AT_EUID = 12,
    AT_GID = 13,
    AT_EGID = 14,
    AT_PLATFORM = 15,
    AT_HWCAP = 16,
    AT_CLKTCK = 17,
    AT_SECURE = 23,
    AT_RANDOM = 25,
    AT_HWCAP2 = 26,
    AT_EXECFN = 31,
    AT_SYSINFO_EHDR = 33,
    AT_MINSIGSTKSZ = 51,
};

struct AuxEntry {
    uint64_t type;
    uint64_t value;
};

struct InitialStackSpec {
    std::span<const std::string_view> argv;
    std::span<const std::string_view> envp;
    // Every entry but AT_RANDOM, AT_PLATFORM, AT_EXECFN and AT_NULL, which the builder
    // adds because they point into the stack.
    std::span<const AuxEntry> auxv;
    const uint8_t* random_bytes;  // 16 bytes
    std::string_view platform;    // "x86_64"
    std::string_view execfn;      // the path the program was started as
};

// Lays the stack out in `top`, the memory backing [stack_top - top.size(), stack_top).
// Returns the initial %rsp; E2BIG when it does not fit (as execve reports).
Result<uint64_t> build_initial_stack(std::span<uint8_t> top, uint64_t stack_top, const InitialStackSpec& spec);

}  // namespace kiln::exec

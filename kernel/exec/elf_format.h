#pragma once

// On-disk ELF64 structures and constants, little-endian x86-64 only.
// Sources: System V ABI (gABI) "Object Files" chapter (ELF header, program header,
// dynamic section), and the x86-64 psABI (EM_X86_64, PT_GNU_* are GNU extensions
// documented in the Linux Standard Base Core spec, "Program Header" section).
//
// The structs mirror the file byte for byte; code copies them out of the image with
// __builtin_memcpy, so the image need not be aligned.

#include <cstdint>

namespace kiln::exec::elf {

// e_ident indexes and values (gABI "ELF Identification").
inline constexpr unsigned EI_MAG0 = 0;
inline constexpr unsigned EI_CLASS = 4;
inline constexpr unsigned EI_DATA = 5;
inline constexpr unsigned EI_VERSION = 6;
inline constexpr unsigned EI_NIDENT = 16;
inline constexpr uint8_t ELFMAG[4] = { 0x7f, 'E', 'L', 'F' };
inline constexpr uint8_t ELFCLASS64 = 2;
inline constexpr uint8_t ELFDATA2LSB = 1;
inline constexpr uint8_t EV_CURRENT = 1;

// e_type, e_machine (gABI; EM_X86_64 from the x86-64 psABI).
inline constexpr uint16_t ET_EXEC = 2;
inline constexpr uint16_t ET_DYN = 3;
inline constexpr uint16_t EM_X86_64 = 62;

// e_phnum escape for more than 0xfffe headers (gABI "Extended Program Header Numbering").
inline constexpr uint16_t PN_XNUM = 0xffff;

// p_type (gABI "Program Header"; GNU extensions from LSB Core).
inline constexpr uint32_t PT_NULL = 0;
inline constexpr uint32_t PT_LOAD = 1;
inline constexpr uint32_t PT_DYNAMIC = 2;
inline constexpr uint32_t PT_INTERP = 3;
inline constexpr uint32_t PT_NOTE = 4;
inline constexpr uint32_t PT_PHDR = 6;
inline constexpr uint32_t PT_TLS = 7;
inline constexpr uint32_t PT_GNU_EH_FRAME = 0x6474e550;
inline constexpr uint32_t PT_GNU_STACK = 0x6474e551;
inline constexpr uint32_t PT_GNU_RELRO = 0x6474e552;
inline constexpr uint32_t PT_GNU_PROPERTY = 0x6474e553;

// p_flags.
inline constexpr uint32_t PF_X = 1;
inline constexpr uint32_t PF_W = 2;
inline constexpr uint32_t PF_R = 4;

// d_tag (gABI "Dynamic Section").
inline constexpr int64_t DT_NULL = 0;
inline constexpr int64_t DT_NEEDED = 1;
inline constexpr int64_t DT_STRTAB = 5;
inline constexpr int64_t DT_STRSZ = 10;
inline constexpr int64_t DT_SONAME = 14;
inline constexpr int64_t DT_RPATH = 15;
inline constexpr int64_t DT_RUNPATH = 29;

struct Elf64Header {
    uint8_t e_ident[EI_NIDENT];
    uint16_t e_type;
    uint16_t e_machine;
    uint32_t e_version;
    uint64_t e_entry;
    uint64_t e_phoff;
    uint64_t e_shoff;
    uint32_t e_flags;
    uint16_t e_ehsize;
    uint16_t e_phentsize;
    uint16_t e_phnum;
    uint16_t e_shentsize;
    uint16_t e_shnum;
    uint16_t e_shstrndx;
};
static_assert(sizeof(Elf64Header) == 64);

struct Elf64ProgramHeader {
    uint32_t p_type;
    uint32_t p_flags;
    uint64_t p_offset;
    uint64_t p_vaddr;
    uint64_t p_paddr;
    uint64_t p_filesz;
    uint64_t p_memsz;
    uint64_t p_align;
};
static_assert(sizeof(Elf64ProgramHeader) == 56);

struct Elf64Dyn {
    int64_t d_tag;
    uint64_t d_val;
};
static_assert(sizeof(Elf64Dyn) == 16);

} // namespace kiln::exec::elf

#pragma once

// A validated view of an ELF64 x86-64 executable or shared object held in memory.
// Portable: no heap, no exceptions; compiled into the kernel (the exec loader) and into
// host code (the root image builder, unit tests).
//
//   TRY(ElfImage elf, ElfImage::try_parse(bytes));
//   for (ElfSegment load : elf.load_segments())
//       map(load.vaddr + bias, load.memsz, load.offset, load.filesz, load.flags);
//   if (auto interp = elf.interpreter()) ...   // "/lib64/ld-linux-x86-64.so.2"
//
// try_parse checks everything the accessors rely on, once: after it succeeds, no
// accessor can read outside the image, and every offset/size pair it hands out lies
// inside the image without overflow. Malformed input gives Errno::NOEXEC, as Linux's
// execve does. The image must outlive the ElfImage (it is a view, not a copy).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "exec/elf_format.h"
#include "lib/result.h"

namespace kiln::exec {

// Segments are mapped with 4 KiB pages: file offset and address must agree modulo this.
inline constexpr uint64_t ELF_PAGE_SIZE = 4096;
// x86-64 user space is the lower canonical half (psABI, 48-bit virtual addresses);
// a segment that reaches above it could never be mapped.
inline constexpr uint64_t ELF_USER_ADDRESS_LIMIT = 0x0000800000000000;
// Linux caps the program header table at 64 KiB (fs/binfmt_elf.c, load_elf_phdrs).
inline constexpr uint64_t ELF_MAX_PROGRAM_HEADERS_BYTES = 65536;
// Linux's PATH_MAX bounds PT_INTERP, NUL included.
inline constexpr uint64_t ELF_MAX_INTERPRETER_BYTES = 4096;

enum class ElfType : uint8_t {
    Executable, // ET_EXEC: absolute addresses
    SharedObject, // ET_DYN: PIE or library, placed at a load bias of our choosing
};

// One program header, decoded. Which checks hold depends on `type`; see try_parse.
struct ElfSegment {
    uint32_t type = 0;
    uint32_t flags = 0; // PF_R | PF_W | PF_X
    uint64_t offset = 0;
    uint64_t vaddr = 0;
    uint64_t filesz = 0;
    uint64_t memsz = 0;
    uint64_t align = 0;

    bool readable() const { return flags & elf::PF_R; }
    bool writable() const { return flags & elf::PF_W; }
    bool executable() const { return flags & elf::PF_X; }
};

class ElfImage;

// Range over the PT_LOAD headers, in table order (which gABI requires to be ascending
// p_vaddr; try_parse enforces it).
class ElfLoadSegments {
public:
    class Iterator {
    public:
        Iterator(const ElfImage* image, size_t index);
        ElfSegment operator*() const;
        Iterator& operator++();
        bool operator==(const Iterator& other) const { return m_index == other.m_index; }

    private:
        void skip_to_load();
        const ElfImage* m_image;
        size_t m_index;
    };

    explicit ElfLoadSegments(const ElfImage* image)
        : m_image(image)
    {
    }
    Iterator begin() const { return Iterator(m_image, 0); }
    Iterator end() const;

private:
    const ElfImage* m_image;
};

class ElfImage {
public:
    ElfImage() = default;

    // Validates the ELF header and every program header (see elf.cpp for the rules).
    static Result<ElfImage> try_parse(std::span<const uint8_t> image);

    std::span<const uint8_t> bytes() const { return m_image; }
    ElfType type() const { return m_type; }
    uint64_t entry() const { return m_entry; }
    // True if the entry point lies in an executable PT_LOAD. Shared libraries often
    // have entry 0; an executable without this is not worth starting.
    bool entry_is_executable() const;

    // The program header table, for AT_PHDR / AT_PHENT / AT_PHNUM.
    uint64_t program_headers_offset() const { return m_phoff; }
    uint16_t program_header_count() const { return m_phnum; }
    uint16_t program_header_size() const { return sizeof(elf::Elf64ProgramHeader); }
    // Where the table is in memory before the load bias: inside the PT_LOAD whose file
    // bytes hold it (how Linux computes AT_PHDR). Empty if no PT_LOAD maps it.
    std::optional<uint64_t> program_headers_vaddr() const;
    ElfSegment program_header(size_t index) const;

    ElfLoadSegments load_segments() const { return ElfLoadSegments(this); }
    size_t load_segment_count() const { return m_load_count; }
    // Page-aligned span of all PT_LOADs: [min_vaddr, max_vaddr). An ET_DYN image needs
    // max_vaddr - min_vaddr bytes of address space; its load bias is base - min_vaddr.
    uint64_t min_vaddr() const { return m_min_vaddr; }
    uint64_t max_vaddr() const { return m_max_vaddr; }

    // PT_INTERP without its NUL, e.g. "/lib64/ld-linux-x86-64.so.2".
    std::optional<std::string_view> interpreter() const;
    std::optional<ElfSegment> tls() const;
    std::optional<ElfSegment> dynamic() const;
    // PT_GNU_STACK flags; without the header Linux x86-64 gives an executable stack.
    std::optional<uint32_t> gnu_stack_flags() const;
    bool wants_executable_stack() const;

    // File offset of [vaddr, vaddr + size) when those bytes are all file-backed within
    // one PT_LOAD (not in the zero-filled tail). Used to follow DT_STRTAB and friends.
    std::optional<uint64_t> file_offset(uint64_t vaddr, uint64_t size) const;

private:
    static constexpr uint16_t NONE = 0xffff;

    std::optional<ElfSegment> header_if_present(uint16_t index) const;

    std::span<const uint8_t> m_image;
    ElfType m_type = ElfType::Executable;
    uint64_t m_entry = 0;
    uint64_t m_phoff = 0;
    uint16_t m_phnum = 0;
    uint16_t m_load_count = 0;
    uint64_t m_min_vaddr = 0;
    uint64_t m_max_vaddr = 0;
    uint16_t m_interp_index = NONE;
    uint16_t m_tls_index = NONE;
    uint16_t m_dynamic_index = NONE;
    uint16_t m_gnu_stack_index = NONE;
};

} // namespace kiln::exec

#include "exec/elf.h"

namespace kiln::exec {

using namespace elf;

namespace {

// end = offset + size without wrapping, and end <= limit.
bool fits(uint64_t offset, uint64_t size, uint64_t limit)
{
    uint64_t end;
    return !__builtin_add_overflow(offset, size, &end) && end <= limit;
}

bool is_power_of_two(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

ElfSegment decode(const Elf64ProgramHeader& ph)
{
    return { ph.p_type, ph.p_flags, ph.p_offset, ph.p_vaddr, ph.p_filesz, ph.p_memsz, ph.p_align };
}

// gABI: p_align 0 or 1 means no constraint; otherwise a power of two with
// p_vaddr ≡ p_offset (mod p_align). mmap adds its own rule: congruent modulo the page
// size, whatever p_align says.
bool valid_load_alignment(const ElfSegment& s)
{
    if (s.align > 1) {
        if (!is_power_of_two(s.align) || s.offset % s.align != s.vaddr % s.align)
            return false;
    }
    return s.offset % ELF_PAGE_SIZE == s.vaddr % ELF_PAGE_SIZE;
}

bool valid_load(const ElfSegment& s, uint64_t image_size)
{
    return s.filesz <= s.memsz && fits(s.offset, s.filesz, image_size) && fits(s.vaddr, s.memsz, ELF_USER_ADDRESS_LIMIT)
        && valid_load_alignment(s);
}

// PT_INTERP holds a path and its NUL, which must be the last byte (Linux:
// fs/binfmt_elf.c rejects anything else); an earlier NUL would hide the path's tail.
bool valid_interpreter(const ElfSegment& s, std::span<const uint8_t> image)
{
    if (s.filesz < 2 || s.filesz > ELF_MAX_INTERPRETER_BYTES || !fits(s.offset, s.filesz, image.size()))
        return false;
    for (uint64_t i = 0; i + 1 < s.filesz; ++i) {
        if (image[s.offset + i] == 0)
            return false;
    }
    return image[s.offset + s.filesz - 1] == 0;
}

// gABI "Thread-Local Storage": a TLS initialization image followed by zeroes.
bool valid_tls(const ElfSegment& s, uint64_t image_size)
{
    return s.filesz <= s.memsz && fits(s.offset, s.filesz, image_size) && fits(s.vaddr, s.memsz, ELF_USER_ADDRESS_LIMIT)
        && (s.align <= 1 || is_power_of_two(s.align));
}

// Records `index` in `slot`; a second header of a kind that must be unique is malformed.
bool record_unique(uint16_t& slot, size_t index, uint16_t none)
{
    if (slot != none)
        return false;
    slot = static_cast<uint16_t>(index);
    return true;
}

} // namespace

Result<ElfImage> ElfImage::try_parse(std::span<const uint8_t> image)
{
    if (image.size() < sizeof(Elf64Header))
        return Errno::NOEXEC;
    Elf64Header header;
    __builtin_memcpy(&header, image.data(), sizeof(header));

    // gABI "ELF Identification", then the x86-64 psABI's machine.
    for (unsigned i = 0; i < 4; ++i) {
        if (header.e_ident[EI_MAG0 + i] != ELFMAG[i])
            return Errno::NOEXEC;
    }
    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB
        || header.e_ident[EI_VERSION] != EV_CURRENT || header.e_version != EV_CURRENT || header.e_machine != EM_X86_64)
        return Errno::NOEXEC;

    ElfImage elf;
    elf.m_image = image;
    if (header.e_type == ET_EXEC)
        elf.m_type = ElfType::Executable;
    else if (header.e_type == ET_DYN)
        elf.m_type = ElfType::SharedObject;
    else
        return Errno::NOEXEC;
    elf.m_entry = header.e_entry;

    // PN_XNUM would move the count into section 0; no loadable program needs that.
    if (header.e_phentsize != sizeof(Elf64ProgramHeader) || header.e_phnum == 0 || header.e_phnum == PN_XNUM)
        return Errno::NOEXEC;
    uint64_t table_size = uint64_t(header.e_phnum) * sizeof(Elf64ProgramHeader);
    if (table_size > ELF_MAX_PROGRAM_HEADERS_BYTES || !fits(header.e_phoff, table_size, image.size()))
        return Errno::NOEXEC;
    elf.m_phoff = header.e_phoff;
    elf.m_phnum = header.e_phnum;

    uint64_t previous_end = 0;
    for (size_t i = 0; i < elf.m_phnum; ++i) {
        ElfSegment s = elf.program_header(i);
        switch (s.type) {
        case PT_LOAD:
            // gABI: loadable segments appear in ascending p_vaddr order; we also refuse
            // overlap, which would make one segment's file bytes clobber another's.
            if (!valid_load(s, image.size()) || (elf.m_load_count > 0 && s.vaddr < previous_end))
                return Errno::NOEXEC;
            if (elf.m_load_count == 0)
                elf.m_min_vaddr = s.vaddr & ~(ELF_PAGE_SIZE - 1);
            previous_end = s.vaddr + s.memsz;
            ++elf.m_load_count;
            break;
        case PT_INTERP:
            if (!valid_interpreter(s, image) || !record_unique(elf.m_interp_index, i, NONE))
                return Errno::NOEXEC;
            break;
        case PT_TLS:
            if (!valid_tls(s, image.size()) || !record_unique(elf.m_tls_index, i, NONE))
                return Errno::NOEXEC;
            break;
        case PT_DYNAMIC:
            if (!fits(s.offset, s.filesz, image.size()) || !record_unique(elf.m_dynamic_index, i, NONE))
                return Errno::NOEXEC;
            break;
        case PT_GNU_STACK:
            if (!record_unique(elf.m_gnu_stack_index, i, NONE))
                return Errno::NOEXEC;
            break;
        default:
            // Notes, EH frames, RELRO, properties and unknown types do not affect
            // whether or where the image loads.
            break;
        }
    }
    if (elf.m_load_count == 0)
        return Errno::NOEXEC;
    // previous_end <= ELF_USER_ADDRESS_LIMIT, a page multiple, so rounding up cannot wrap.
    elf.m_max_vaddr = (previous_end + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
    return elf;
}

ElfSegment ElfImage::program_header(size_t index) const
{
    Elf64ProgramHeader ph;
    __builtin_memcpy(&ph, m_image.data() + m_phoff + index * sizeof(ph), sizeof(ph));
    return decode(ph);
}

std::optional<ElfSegment> ElfImage::header_if_present(uint16_t index) const
{
    if (index == NONE)
        return std::nullopt;
    return program_header(index);
}

bool ElfImage::entry_is_executable() const
{
    for (ElfSegment load : load_segments()) {
        if (load.executable() && m_entry >= load.vaddr && m_entry - load.vaddr < load.memsz)
            return true;
    }
    return false;
}

std::optional<uint64_t> ElfImage::program_headers_vaddr() const
{
    uint64_t size = uint64_t(m_phnum) * sizeof(Elf64ProgramHeader);
    for (ElfSegment load : load_segments()) {
        if (m_phoff >= load.offset && m_phoff - load.offset <= load.filesz
            && size <= load.filesz - (m_phoff - load.offset))
            return load.vaddr + (m_phoff - load.offset);
    }
    return std::nullopt;
}

std::optional<std::string_view> ElfImage::interpreter() const
{
    auto s = header_if_present(m_interp_index);
    if (!s)
        return std::nullopt;
    return std::string_view(reinterpret_cast<const char*>(m_image.data() + s->offset), s->filesz - 1);
}

std::optional<ElfSegment> ElfImage::tls() const { return header_if_present(m_tls_index); }

std::optional<ElfSegment> ElfImage::dynamic() const { return header_if_present(m_dynamic_index); }

std::optional<uint32_t> ElfImage::gnu_stack_flags() const
{
    auto s = header_if_present(m_gnu_stack_index);
    if (!s)
        return std::nullopt;
    return s->flags;
}

bool ElfImage::wants_executable_stack() const
{
    auto flags = gnu_stack_flags();
    return !flags || (*flags & PF_X);
}

std::optional<uint64_t> ElfImage::file_offset(uint64_t vaddr, uint64_t size) const
{
    for (ElfSegment load : load_segments()) {
        if (vaddr >= load.vaddr && vaddr - load.vaddr <= load.filesz && size <= load.filesz - (vaddr - load.vaddr))
            return load.offset + (vaddr - load.vaddr);
    }
    return std::nullopt;
}

ElfLoadSegments::Iterator::Iterator(const ElfImage* image, size_t index)
    : m_image(image)
    , m_index(index)
{
    skip_to_load();
}

void ElfLoadSegments::Iterator::skip_to_load()
{
    while (m_index < m_image->program_header_count() && m_image->program_header(m_index).type != PT_LOAD)
        ++m_index;
}

ElfSegment ElfLoadSegments::Iterator::operator*() const { return m_image->program_header(m_index); }

ElfLoadSegments::Iterator& ElfLoadSegments::Iterator::operator++()
{
    ++m_index;
    skip_to_load();
    return *this;
}

ElfLoadSegments::Iterator ElfLoadSegments::end() const { return Iterator(m_image, m_image->program_header_count()); }

} // namespace kiln::exec

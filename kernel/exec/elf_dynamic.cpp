#include "exec/elf_dynamic.h"

namespace kiln::exec {

using namespace elf;

namespace {

Elf64Dyn entry_at(std::span<const uint8_t> entries, size_t index)
{
    Elf64Dyn dyn;
    __builtin_memcpy(&dyn, entries.data() + index * sizeof(dyn), sizeof(dyn));
    return dyn;
}

// A string table entry is valid if a NUL ends it inside the table.
bool terminated(std::span<const uint8_t> strtab, uint64_t offset)
{
    for (uint64_t i = offset; i < strtab.size(); ++i) {
        if (strtab[i] == 0)
            return true;
    }
    return false;
}

} // namespace

Result<ElfDynamic> ElfDynamic::try_parse(const ElfImage& image)
{
    ElfDynamic dyn;
    auto segment = image.dynamic();
    if (!segment)
        return dyn;

    // try_parse of the image checked that PT_DYNAMIC's file bytes lie inside it. The
    // array ends at DT_NULL (gABI); a table cut short by p_filesz ends there instead.
    std::span<const uint8_t> all = image.bytes().subspan(segment->offset, segment->filesz);
    size_t count = all.size() / sizeof(Elf64Dyn);
    uint64_t strtab_vaddr = NONE;
    uint64_t strtab_size = NONE;
    size_t used = 0;
    // A tag that repeats takes its last value, as glibc's loader does (elf/get-dynamic-info.h).
    for (; used < count; ++used) {
        Elf64Dyn d = entry_at(all, used);
        if (d.d_tag == DT_NULL)
            break;
        switch (d.d_tag) {
        case DT_NEEDED:
            ++dyn.m_needed_count;
            break;
        case DT_STRTAB:
            strtab_vaddr = d.d_val;
            break;
        case DT_STRSZ:
            strtab_size = d.d_val;
            break;
        case DT_SONAME:
            dyn.m_soname = d.d_val;
            break;
        case DT_RUNPATH:
            dyn.m_runpath = d.d_val;
            break;
        case DT_RPATH:
            dyn.m_rpath = d.d_val;
            break;
        default:
            break;
        }
    }
    dyn.m_entries = all.first(used * sizeof(Elf64Dyn));

    bool has_strings = dyn.m_needed_count > 0 || dyn.m_soname != NONE || dyn.m_runpath != NONE || dyn.m_rpath != NONE;
    if (!has_strings)
        return dyn;
    // DT_STRTAB is an address; the file holds it wherever a PT_LOAD maps that address.
    // DT_STRSZ is mandatory with DT_STRTAB (gABI), so a table without it is malformed.
    if (strtab_vaddr == NONE || strtab_size == NONE || strtab_size == 0)
        return Errno::NOEXEC;
    auto offset = image.file_offset(strtab_vaddr, strtab_size);
    if (!offset)
        return Errno::NOEXEC;
    dyn.m_strtab = image.bytes().subspan(*offset, strtab_size);

    for (uint64_t name : { dyn.m_soname, dyn.m_runpath, dyn.m_rpath }) {
        if (name != NONE && !terminated(dyn.m_strtab, name))
            return Errno::NOEXEC;
    }
    for (size_t i = 0; i < used; ++i) {
        Elf64Dyn d = entry_at(dyn.m_entries, i);
        if (d.d_tag == DT_NEEDED && !terminated(dyn.m_strtab, d.d_val))
            return Errno::NOEXEC;
    }
    return dyn;
}

std::string_view ElfDynamic::needed(size_t index) const
{
    size_t seen = 0;
    for (size_t i = 0; i < m_entries.size() / sizeof(Elf64Dyn); ++i) {
        Elf64Dyn d = entry_at(m_entries, i);
        if (d.d_tag == DT_NEEDED && seen++ == index)
            return string_at(d.d_val);
    }
    return {};
}

std::string_view ElfDynamic::string_at(uint64_t offset) const
{
    const char* start = reinterpret_cast<const char*>(m_strtab.data() + offset);
    size_t length = 0;
    while (start[length] != '\0')
        ++length;
    return std::string_view(start, length);
}

std::optional<std::string_view> ElfDynamic::string_or_none(uint64_t offset) const
{
    if (offset == NONE)
        return std::nullopt;
    return string_at(offset);
}

} // namespace kiln::exec

#pragma once

// The names in an ELF object's dynamic section (gABI "Dynamic Section"): DT_NEEDED,
// DT_SONAME, DT_RPATH, DT_RUNPATH, each an offset into the DT_STRTAB string table.
// The kernel never needs these (ld.so resolves libraries in user space); the root image
// builder does, to copy a program's library closure. Portable all the same, so one
// parser with one set of tests and one fuzzer reads ELF everywhere.
//
//   TRY(ElfDynamic dyn, ElfDynamic::try_parse(elf));
//   for (size_t i = 0; i < dyn.needed_count(); ++i) use(dyn.needed(i));

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "exec/elf.h"
#include "lib/result.h"

namespace kiln::exec {

class ElfDynamic {
public:
    ElfDynamic() = default;

    // An image without PT_DYNAMIC (a static executable) gives an empty ElfDynamic.
    // Every string the accessors return has been bounds-checked here; malformed tables
    // give Errno::NOEXEC.
    static Result<ElfDynamic> try_parse(const ElfImage& image);

    size_t needed_count() const { return m_needed_count; }
    std::string_view needed(size_t index) const;
    std::optional<std::string_view> soname() const { return string_or_none(m_soname); }
    std::optional<std::string_view> runpath() const { return string_or_none(m_runpath); }
    std::optional<std::string_view> rpath() const { return string_or_none(m_rpath); }

private:
    static constexpr uint64_t NONE = ~uint64_t(0);

    std::string_view string_at(uint64_t offset) const;
    std::optional<std::string_view> string_or_none(uint64_t offset) const;

    std::span<const uint8_t> m_entries; // the PT_DYNAMIC bytes up to DT_NULL
    std::span<const uint8_t> m_strtab;
    size_t m_needed_count = 0;
    uint64_t m_soname = NONE;
    uint64_t m_runpath = NONE;
    uint64_t m_rpath = NONE;
};

} // namespace kiln::exec

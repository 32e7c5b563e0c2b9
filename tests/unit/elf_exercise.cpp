#include "elf_exercise.h"

#include "exec/elf.h"
#include "exec/elf_dynamic.h"

namespace kiln::exec::testing {

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

// Checks [offset, offset + size) against the image and reads its first and last
// bytes, so ASan also sees an overrun; the range is contiguous, so its ends suffice
// (and a 45 MiB libnode stays cheap to exercise thousands of times).
size_t touch(std::span<const uint8_t> image, uint64_t offset, uint64_t size)
{
    require(offset <= image.size() && size <= image.size() - offset);
    if (size == 0)
        return 0;
    return image.data()[offset] + image.data()[offset + size - 1];
}

size_t touch_string(std::span<const uint8_t> image, std::string_view s)
{
    auto base = reinterpret_cast<const char*>(image.data());
    require(s.data() >= base && s.data() + s.size() < base + image.size());
    require(s.data()[s.size()] == '\0');
    return touch(image, s.data() - base, s.size()) + 1;
}

} // namespace

size_t exercise_elf(std::span<const uint8_t> image)
{
    auto parsed = ElfImage::try_parse(image);
    if (!parsed)
        return 0;
    const ElfImage& elf = *parsed;
    size_t work = 1 + elf.entry_is_executable();
    for (size_t i = 0; i < elf.program_header_count(); ++i)
        work += elf.program_header(i).type;
    uint64_t previous_end = 0;
    size_t loads = 0;
    for (ElfSegment load : elf.load_segments()) {
        require(load.filesz <= load.memsz && load.vaddr >= previous_end);
        work += touch(image, load.offset, load.filesz);
        previous_end = load.vaddr + load.memsz;
        ++loads;
    }
    require(loads == elf.load_segment_count() && loads > 0);
    require(elf.min_vaddr() < elf.max_vaddr() || elf.min_vaddr() == elf.max_vaddr());
    if (auto phdr = elf.program_headers_vaddr()) {
        auto offset = elf.file_offset(*phdr, uint64_t(elf.program_header_count()) * elf.program_header_size());
        require(offset.has_value());
        work += touch(image, *offset, uint64_t(elf.program_header_count()) * elf.program_header_size());
    }
    if (auto interp = elf.interpreter())
        work += touch_string(image, *interp);
    if (auto tls = elf.tls())
        work += touch(image, tls->offset, tls->filesz);
    if (auto dynamic = elf.dynamic())
        work += touch(image, dynamic->offset, dynamic->filesz);
    work += elf.wants_executable_stack();

    auto dynamic = ElfDynamic::try_parse(elf);
    if (!dynamic)
        return work;
    for (size_t i = 0; i < dynamic->needed_count(); ++i)
        work += touch_string(image, dynamic->needed(i));
    for (auto name : { dynamic->soname(), dynamic->runpath(), dynamic->rpath() }) {
        if (name)
            work += touch_string(image, *name);
    }
    return work;
}

} // namespace kiln::exec::testing

// /proc/self/maps text, byte for byte as Linux prints it (fs/proc/task_mmu.c,
// show_vma_header_prefix() and show_map_vma()). glibc's pthread_getattr_np parses it
// to find the main thread's stack, and Node reads it at start-up.

#include "lib/format.h"
#include "mm/address_space.h"

namespace kiln::mm {

namespace {

// Linux pads the header to 25 + sizeof(void*) * 6 - 1 columns before the name
// (seq_setwidth() + seq_pad()), then writes one more space.
constexpr size_t NAME_COLUMN = 25 + 8 * 6 - 1;

using Output = BoundedWriter;

} // namespace

size_t format_maps_line(const Vma& vma, char* buffer, size_t size, FileDescriber files)
{
    FileDescription file;
    const char* name = vma.name;
    uint64_t offset = 0;
    if (vma.file) {
        if (files.describe)
            file = files.describe(files.context, vma.file);
        name = file.path;
        offset = vma.file_offset;
    }
    // 16 + 1 + 16 + 1 + 4 + 1 + 16 + 1 + 8 + 1 + 8 + 1 + 20 + 1 characters at most.
    char header[128];
    format(header, sizeof(header), "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ", static_cast<unsigned long>(vma.start),
        static_cast<unsigned long>(vma.end), (vma.prot & LINUX_PROT_READ) ? 'r' : '-',
        (vma.prot & LINUX_PROT_WRITE) ? 'w' : '-', (vma.prot & LINUX_PROT_EXEC) ? 'x' : '-', vma.shared() ? 's' : 'p',
        static_cast<unsigned long>(offset), file.major, file.minor, static_cast<unsigned long>(file.inode));
    Output out(buffer, size);
    out.put(header);
    if (name != nullptr && *name != '\0') {
        while (out.length() < NAME_COLUMN)
            out.put(' ');
        out.put(' ');
        out.put(name);
    }
    out.put('\n');
    return out.finish();
}

size_t AddressSpace::format_maps(char* buffer, size_t size, FileDescriber files) const
{
    size_t total = 0;
    for (size_t i = 0; i < m_count; ++i) {
        size_t room = total < size ? size - total : 0;
        total += format_maps_line(m_vmas[i], room ? buffer + total : buffer, room, files);
    }
    if (size > 0 && m_count == 0)
        buffer[0] = '\0';
    return total;
}

} // namespace kiln::mm

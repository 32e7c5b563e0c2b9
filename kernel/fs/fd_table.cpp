#include "fs/fd_table.h"

namespace kiln {
namespace {

FdTable g_fd_table;

}  // namespace

FdTable& fd_table() { return g_fd_table; }

Result<int> FdTable::install(File* file, bool close_on_exec, int minimum, int limit)
{
    if (minimum < 0)
        return Errno::INVAL;
    if (limit > CAPACITY)
        limit = CAPACITY;
    for (int fd = minimum; fd < limit; ++fd) {
        if (!m_slots[fd].file) {
            m_slots[fd] = Slot { file, close_on_exec };
            return fd;
        }
    }
    return Errno::MFILE;
}

Result<void> FdTable::install_at(int fd, File* file, bool close_on_exec)
{
    if (fd < 0 || fd >= CAPACITY)
        return Errno::BADF;
    File* previous = m_slots[fd].file;
    m_slots[fd] = Slot { file, close_on_exec };
    if (previous)
        previous->release();
    return {};
}

Result<File*> FdTable::get(int fd) const
{
    if (!valid(fd))
        return Errno::BADF;
    return m_slots[fd].file;
}

Result<void> FdTable::close(int fd)
{
    if (!valid(fd))
        return Errno::BADF;
    File* file = m_slots[fd].file;
    m_slots[fd] = Slot {};
    file->release();
    return {};
}

size_t FdTable::open_count() const
{
    size_t n = 0;
    for (const auto& slot : m_slots)
        n += slot.file != nullptr;
    return n;
}

}  // namespace kiln

#include "fs/file.h"

#include "fs/epoll.h"
#include "lib/kalloc.h"

namespace kiln {

File::~File() { kfree(m_path); }

Result<void> File::set_path(const char* path, size_t length)
{
    auto* copy = static_cast<char*>(kalloc(length + 1));
    if (!copy)
        return Errno::NOMEM;
    __builtin_memcpy(copy, path, length);
    copy[length] = '\0';
    kfree(m_path);
    m_path = copy;
    return {};
}

void File::release()
{
    if (--m_references == 0) {
        // Linux drops a description from every epoll interest list when it closes.
        epoll_forget(this);
        destroy(this);
    }
}

}  // namespace kiln

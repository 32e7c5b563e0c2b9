#pragma once

// The process's file descriptors: small integers naming open file descriptions, with a
// per-descriptor close-on-exec flag. Linux semantics: the lowest free number is used.

#include <stddef.h>

#include "fs/file.h"
#include "lib/result.h"

namespace kiln {

class FdTable {
public:
    static constexpr int CAPACITY = 4096;  // RLIMIT_NOFILE's hard limit

    // Installs file (taking over one reference) at the lowest free descriptor >= minimum
    // and below limit. EMFILE when full.
    Result<int> install(File* file, bool close_on_exec, int minimum = 0, int limit = CAPACITY);
    // Puts file at exactly fd, closing what was there (dup2/dup3).
    Result<void> install_at(int fd, File* file, bool close_on_exec);

    // The file behind fd (no reference taken: valid until the next close). EBADF.
    Result<File*> get(int fd) const;
    Result<void> close(int fd);

    bool close_on_exec(int fd) const { return valid(fd) && m_slots[fd].close_on_exec; }
    void set_close_on_exec(int fd, bool value)
    {
        if (valid(fd))
            m_slots[fd].close_on_exec = value;
    }
    size_t open_count() const;

private:
    struct Slot {
        File* file = nullptr;
        bool close_on_exec = false;
    };
    bool valid(int fd) const { return fd >= 0 && fd < CAPACITY && m_slots[fd].file; }

    Slot m_slots[CAPACITY];
};

FdTable& fd_table();

}  // namespace kiln

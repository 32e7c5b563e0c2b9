#pragma once

// Argument handling shared by the file system calls: user paths and dirfd bases.

#include "fs/fd_table.h"
#include "fs/path.h"
#include "linux/syscall.h"

namespace kiln {

inline constexpr int AT_FDCWD = -100;
inline constexpr uint64_t AT_SYMLINK_NOFOLLOW = 0x100;
inline constexpr uint64_t AT_EMPTY_PATH = 0x1000;

struct UserPath {
    char text[PATH_CAPACITY];
    size_t length = 0;
};

// Copies a path argument in. EFAULT, ENAMETOOLONG; ENOENT for "" unless allowed.
Result<void> read_user_path(UserAddress address, UserPath& out, bool allow_empty = false);

// Gives a new open file its descriptor: the lowest free one >= minimum and below
// RLIMIT_NOFILE. On failure (EMFILE) the file's reference is dropped.
Result<int64_t> install_file(File* file, bool close_on_exec, int minimum = 0);

// The directory a *at() call resolves relative paths against: null for the working
// directory (AT_FDCWD) or an absolute path; the directory file's path otherwise.
Result<const char*> dirfd_base(int dirfd, const UserPath& path);

}  // namespace kiln

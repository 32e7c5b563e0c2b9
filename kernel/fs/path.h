#pragma once

// Lexical path handling for the VFS: joining a relative path to the working directory
// and collapsing ".", ".." and repeated slashes. Lexical ".." is what Linux does too for
// the pseudo-filesystems' mount points; the root filesystem resolves its own symlinks.
// Portable, unit-tested on the host.

#include <stddef.h>

#include <string_view>

#include "lib/result.h"

namespace kiln {

inline constexpr size_t PATH_CAPACITY = 4096;  // PATH_MAX, including the NUL

// Writes the absolute, normalized form of `path` (relative to `cwd`, itself absolute)
// into out (capacity bytes). Returns its length. ENAMETOOLONG if it does not fit, ENOENT
// for an empty path (as Linux reports it).
Result<size_t> normalize_path(std::string_view cwd, std::string_view path, char* out, size_t capacity);

// True when `path` is `prefix` or lies below it ("/proc" matches "/proc" and
// "/proc/self", not "/procfs").
bool path_is_under(std::string_view path, std::string_view prefix);

}  // namespace kiln

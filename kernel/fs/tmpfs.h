#pragma once

// /tmp: a small writable in-memory filesystem (files and folders; no links, no special
// files). Everything else in the namespace is the read-only root image. Contents live
// on the kernel heap and vanish when the VM stops.

#include "fs/file.h"
#include "lib/result.h"

#include <string_view>

namespace kiln::tmpfs {

inline constexpr std::string_view MOUNT_POINT = "/tmp";

// `path` is absolute and normalized, at or below /tmp.
Result<File*> open(std::string_view path, uint32_t flags, uint32_t mode);
Result<void> stat(std::string_view path, LinuxStat& out);
Result<void> mkdir(std::string_view path, uint32_t mode);
// unlink(2) for files, rmdir(2) when `directory`.
Result<void> remove(std::string_view path, bool directory);
Result<void> rename(std::string_view from, std::string_view to);

}  // namespace kiln::tmpfs

#pragma once

// The file namespace: the root image at /, and the kernel's own files mounted over it at
// /dev, /proc and /sys. Paths are normalized against the working directory first, so a
// relative path and an absolute one reach the same file.

#include <stddef.h>
#include <stdint.h>

#include "fs/erofs/erofs.h"
#include "fs/file.h"
#include "fs/path.h"
#include "lib/result.h"

namespace kiln {

// Producers of generated files that live in other subsystems (the memory manager knows
// the mappings, the process knows its executable). Each writes text into out and returns
// its full length (which may exceed capacity: the VFS then retries with more room).
struct PseudoFileSources {
    size_t (*maps)(char* out, size_t capacity) = nullptr;
    size_t (*meminfo)(char* out, size_t capacity) = nullptr;
    size_t (*resolv_conf)(char* out, size_t capacity) = nullptr;
};

namespace vfs {

// Boot, once: the root image (must outlive the kernel) and the generated-file sources.
Result<void> init(std::span<const uint8_t> root_image, const PseudoFileSources& sources);

const erofs::Erofs& root_filesystem();

// Opens path (relative to `base`, an absolute directory path, or the working directory
// when base is null). Returns a new open file description with one reference.
Result<File*> open(const char* base, const char* path, uint32_t flags, uint32_t mode);

enum class Follow { Yes, No };
Result<void> stat(const char* base, const char* path, Follow follow, LinuxStat& out);

// readlink(2): copies the target (no NUL) and returns its length.
Result<size_t> readlink(const char* base, const char* path, char* out, size_t capacity);

// Changes to the namespace: only /tmp is writable; elsewhere these fail as on a
// read-only mount (EEXIST/ENOENT first when the path says so, then EROFS).
Result<void> mkdir(const char* base, const char* path, uint32_t mode);
Result<void> remove(const char* base, const char* path, bool directory);
Result<void> rename(const char* from_base, const char* from, const char* to_base, const char* to);

// The working directory (absolute, normalized).
const char* cwd();
Result<void> chdir(const char* base, const char* path);

// /proc/self/exe points here.
void set_executable_path(const char* path);

// The absolute normalized form of base + path.
Result<size_t> absolute_path(const char* base, const char* path, char* out, size_t capacity);

}  // namespace vfs
}  // namespace kiln

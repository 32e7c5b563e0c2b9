#pragma once

// One region of the user address space (Linux's struct vm_area_struct, reduced to
// what one process without fork needs), and the Linux mmap ABI constants.
// Portable. The constants carry a LINUX_ prefix because host tests may see
// <sys/mman.h>, whose macros would otherwise replace them.

#include <stdint.h>

namespace kiln::mm {

// include/uapi/asm-generic/mman-common.h, arch/x86/include/uapi/asm/mman.h
constexpr uint32_t LINUX_PROT_NONE = 0x0;
constexpr uint32_t LINUX_PROT_READ = 0x1;
constexpr uint32_t LINUX_PROT_WRITE = 0x2;
constexpr uint32_t LINUX_PROT_EXEC = 0x4;
constexpr uint32_t LINUX_PROT_SEM = 0x8;
constexpr uint32_t LINUX_PROT_GROWSDOWN = 0x01000000;
constexpr uint32_t LINUX_PROT_GROWSUP = 0x02000000;

constexpr uint32_t LINUX_MAP_SHARED = 0x01;
constexpr uint32_t LINUX_MAP_PRIVATE = 0x02;
constexpr uint32_t LINUX_MAP_SHARED_VALIDATE = 0x03;
constexpr uint32_t LINUX_MAP_TYPE = 0x0f;
constexpr uint32_t LINUX_MAP_FIXED = 0x10;
constexpr uint32_t LINUX_MAP_ANONYMOUS = 0x20;
constexpr uint32_t LINUX_MAP_32BIT = 0x40;
constexpr uint32_t LINUX_MAP_GROWSDOWN = 0x0100;
constexpr uint32_t LINUX_MAP_DENYWRITE = 0x0800;
constexpr uint32_t LINUX_MAP_EXECUTABLE = 0x1000;
constexpr uint32_t LINUX_MAP_LOCKED = 0x2000;
constexpr uint32_t LINUX_MAP_NORESERVE = 0x4000;
constexpr uint32_t LINUX_MAP_POPULATE = 0x8000;
constexpr uint32_t LINUX_MAP_NONBLOCK = 0x10000;
constexpr uint32_t LINUX_MAP_STACK = 0x20000;
constexpr uint32_t LINUX_MAP_HUGETLB = 0x40000;
constexpr uint32_t LINUX_MAP_SYNC = 0x80000;
constexpr uint32_t LINUX_MAP_FIXED_NOREPLACE = 0x100000;
constexpr uint32_t LINUX_MAP_UNINITIALIZED = 0x4000000;

// include/uapi/linux/mman.h
constexpr uint32_t LINUX_MREMAP_MAYMOVE = 1;
constexpr uint32_t LINUX_MREMAP_FIXED = 2;
constexpr uint32_t LINUX_MREMAP_DONTUNMAP = 4;

constexpr uint32_t LINUX_MADV_NORMAL = 0;
constexpr uint32_t LINUX_MADV_RANDOM = 1;
constexpr uint32_t LINUX_MADV_SEQUENTIAL = 2;
constexpr uint32_t LINUX_MADV_WILLNEED = 3;
constexpr uint32_t LINUX_MADV_DONTNEED = 4;
constexpr uint32_t LINUX_MADV_FREE = 8;
constexpr uint32_t LINUX_MADV_REMOVE = 9;
constexpr uint32_t LINUX_MADV_DONTFORK = 10;
constexpr uint32_t LINUX_MADV_DOFORK = 11;
constexpr uint32_t LINUX_MADV_MERGEABLE = 12;
constexpr uint32_t LINUX_MADV_UNMERGEABLE = 13;
constexpr uint32_t LINUX_MADV_HUGEPAGE = 14;
constexpr uint32_t LINUX_MADV_NOHUGEPAGE = 15;
constexpr uint32_t LINUX_MADV_DONTDUMP = 16;
constexpr uint32_t LINUX_MADV_DODUMP = 17;
constexpr uint32_t LINUX_MADV_WIPEONFORK = 18;
constexpr uint32_t LINUX_MADV_KEEPONFORK = 19;
constexpr uint32_t LINUX_MADV_COLD = 20;
constexpr uint32_t LINUX_MADV_PAGEOUT = 21;
constexpr uint32_t LINUX_MADV_POPULATE_READ = 22;
constexpr uint32_t LINUX_MADV_POPULATE_WRITE = 23;
constexpr uint32_t LINUX_MADV_DONTNEED_LOCKED = 24;

enum class VmaFlags : uint32_t {
    None = 0,
    Shared = 1 << 0, // MAP_SHARED: 's' in /proc/self/maps
    GrowsDown = 1 << 1, // a stack that page faults below it may extend
    NoReserve = 1 << 2, // MAP_NORESERVE (informational: nothing is reserved anyway)
    NoWrite = 1 << 3, // shared mapping of a file not open for writing: PROT_WRITE is EACCES
};
constexpr VmaFlags operator|(VmaFlags a, VmaFlags b)
{
    return static_cast<VmaFlags>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr VmaFlags operator&(VmaFlags a, VmaFlags b)
{
    return static_cast<VmaFlags>(static_cast<uint32_t>(a) & static_cast<uint32_t>(b));
}
constexpr bool has(VmaFlags flags, VmaFlags bit) { return (flags & bit) != VmaFlags::None; }

// [start, end), page aligned, non-empty.
struct Vma {
    uint64_t start = 0;
    uint64_t end = 0;
    uint32_t prot = LINUX_PROT_NONE; // LINUX_PROT_READ | WRITE | EXEC
    VmaFlags flags = VmaFlags::None;
    const void* file = nullptr; // the caller's file identity; nullptr = anonymous
    uint64_t file_offset = 0; // offset in `file` of `start`
    const char* name = nullptr; // "[heap]", "[stack]", "[vdso]"; static storage

    uint64_t size() const { return end - start; }
    bool anonymous() const { return file == nullptr; }
    bool shared() const { return has(flags, VmaFlags::Shared); }
    bool contains(uint64_t address) const { return start <= address && address < end; }
};

} // namespace kiln::mm

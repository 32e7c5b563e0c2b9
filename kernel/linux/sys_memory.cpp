// Memory: mmap, munmap, mprotect, mremap, madvise, brk, and the calls around them that
// a single-process kernel can answer directly (msync, mlock, sysinfo, pkey_alloc).

#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "fs/pseudo_files.h"
#include "linux/syscall.h"
#include "proc/process_memory.h"
#include "time/clock.h"

namespace kiln {
namespace {

using namespace mm;

Result<int64_t> sys_mmap(const SyscallArgs& a)
{
    MapRequest request;
    request.address = a.a0;
    request.length = a.a1;
    request.prot = static_cast<uint32_t>(a.a2);
    request.flags = static_cast<uint32_t>(a.a3);
    request.offset = a.a5;
    if (!(request.flags & LINUX_MAP_ANONYMOUS)) {
        TRY(File * file, fd_table().get(static_cast<int>(a.a4)));
        if ((file->status_flags & O_ACCMODE_MASK) == O_WRITE_ONLY || (file->status_flags & O_PATH_FLAG))
            return Errno::ACCES;
        if (file->is_directory())
            return Errno::NODEV;
        LinuxStat st;
        TRY_VOID(file->stat(st));
        if ((st.mode & MODE_TYPE_MASK) == MODE_CHAR_DEVICE) {
            // /dev/zero (and friends) map as anonymous memory, as on Linux.
            request.flags |= LINUX_MAP_ANONYMOUS;
        } else {
            // FIXME: a mapping keeps its file alive for the life of the process: regions
            // are split and merged by the address space without telling us, so there is
            // no single owner to drop the reference. Files in the image are immutable and
            // few are mapped (the program and its libraries).
            file->retain();
            request.file = file;
            request.file_writable = open_for_writing(file->status_flags);
        }
    }
    TRY(uint64_t address, memory_mmap(request));
    if (request.flags & LINUX_MAP_POPULATE)
        (void)memory_populate(address, request.length);
    return static_cast<int64_t>(address);
}

Result<int64_t> sys_munmap(const SyscallArgs& a)
{
    TRY_VOID(memory_munmap(a.a0, a.a1));
    return 0;
}

Result<int64_t> sys_mprotect(const SyscallArgs& a)
{
    TRY_VOID(memory_mprotect(a.a0, a.a1, static_cast<uint32_t>(a.a2)));
    return 0;
}

Result<int64_t> sys_mremap(const SyscallArgs& a)
{
    TRY(uint64_t address, memory_mremap(a.a0, a.a1, a.a2, static_cast<uint32_t>(a.a3), a.a4));
    return static_cast<int64_t>(address);
}

Result<int64_t> sys_madvise(const SyscallArgs& a)
{
    TRY_VOID(memory_madvise(a.a0, a.a1, static_cast<uint32_t>(a.a2)));
    return 0;
}

Result<int64_t> sys_brk(const SyscallArgs& a) { return static_cast<int64_t>(memory_brk(a.a0)); }

// Nothing to write back (no shared file mappings of writable files) and nothing to
// lock (nothing is ever paged out).
Result<int64_t> sys_msync(const SyscallArgs& a)
{
    if (!is_page_aligned(a.a0))
        return Errno::INVAL;
    return 0;
}
Result<int64_t> sys_mlock(const SyscallArgs&) { return 0; }

Result<int64_t> sys_sysinfo(const SyscallArgs& a)
{
    struct Sysinfo {
        int64_t uptime;
        uint64_t loads[3];
        uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
        uint16_t procs, pad;
        uint32_t pad2;
        uint64_t totalhigh, freehigh;
        uint32_t mem_unit;
        char reserved[4];
    } info {};
    static_assert(sizeof(Sysinfo) == 112);
    info.uptime = static_cast<int64_t>(monotonic_ns() / 1000000000ULL);
    info.totalram = memory_total_bytes();
    info.freeram = memory_free_bytes();
    info.procs = 1;
    info.mem_unit = 1;
    TRY_VOID(write_user(a.user(a.a0), info));
    return 0;
}

// Memory protection keys are not offered (Linux says EINVAL when the CPU or kernel
// lacks them); V8 falls back to mprotect.
Result<int64_t> sys_pkey_alloc(const SyscallArgs&) { return Errno::INVAL; }

const SyscallEntry ENTRIES[] = {
    { 9, sys_mmap },
    { 10, sys_mprotect },
    { 11, sys_munmap },
    { 12, sys_brk },
    { 25, sys_mremap },
    { 26, sys_msync },
    { 28, sys_madvise },
    { 99, sys_sysinfo },
    { 149, sys_mlock },
    { 150, sys_mlock },  // munlock
    { 151, sys_mlock },  // mlockall
    { 152, sys_mlock },  // munlockall
    { 325, sys_mlock },  // mlock2
    { 330, sys_pkey_alloc },
};

}  // namespace

SyscallFamily memory_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

}  // namespace kiln

// Calls that name files by path: stat family, statx, access, readlink, getcwd, chdir,
// and the mutations a read-only root refuses (mkdir, unlink, rename...).

#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "fs/vfs.h"
#include "linux/file_args.h"

namespace kiln {
namespace {

Result<int64_t> stat_at(int dirfd, UserAddress path_address, uint64_t flags, LinuxStat& out)
{
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */))
        return Errno::INVAL;
    UserPath path;
    TRY_VOID(read_user_path(path_address, path, flags & AT_EMPTY_PATH));
    if (path.length == 0) {
        // AT_EMPTY_PATH: the file dirfd refers to.
        if (dirfd == AT_FDCWD) {
            TRY_VOID(vfs::stat(nullptr, ".", vfs::Follow::Yes, out));
            return 0;
        }
        TRY(File * file, fd_table().get(dirfd));
        TRY_VOID(file->stat(out));
        return 0;
    }
    TRY(const char* base, dirfd_base(dirfd, path));
    auto follow = (flags & AT_SYMLINK_NOFOLLOW) ? vfs::Follow::No : vfs::Follow::Yes;
    TRY_VOID(vfs::stat(base, path.text, follow, out));
    return 0;
}

Result<int64_t> stat_to_user(Result<int64_t> result, const LinuxStat& st, UserAddress destination)
{
    if (result.is_error())
        return result;
    TRY_VOID(write_user(destination, st));
    return 0;
}

Result<int64_t> sys_stat(const SyscallArgs& a)
{
    LinuxStat st;
    return stat_to_user(stat_at(AT_FDCWD, a.user(a.a0), 0, st), st, a.user(a.a1));
}

Result<int64_t> sys_lstat(const SyscallArgs& a)
{
    LinuxStat st;
    return stat_to_user(stat_at(AT_FDCWD, a.user(a.a0), AT_SYMLINK_NOFOLLOW, st), st, a.user(a.a1));
}

Result<int64_t> sys_fstat(const SyscallArgs& a)
{
    TRY(File * file, fd_table().get(static_cast<int>(a.a0)));
    LinuxStat st;
    TRY_VOID(file->stat(st));
    TRY_VOID(write_user(a.user(a.a1), st));
    return 0;
}

Result<int64_t> sys_newfstatat(const SyscallArgs& a)
{
    LinuxStat st;
    return stat_to_user(stat_at(static_cast<int>(a.a0), a.user(a.a1), a.a3, st), st, a.user(a.a2));
}

// struct statx (include/uapi/linux/stat.h).
struct StatxTimestamp {
    int64_t seconds;
    uint32_t nanoseconds;
    int32_t reserved;
};
struct Statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad0;
    uint64_t ino, size, blocks, attributes_mask;
    StatxTimestamp atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t mnt_id;
    uint32_t dio_mem_align, dio_offset_align;
    uint64_t spare[12];
};
static_assert(sizeof(Statx) == 256);

Result<int64_t> sys_statx(const SyscallArgs& a)
{
    constexpr uint64_t AT_STATX_SYNC_TYPE = 0x6000;
    constexpr uint32_t STATX_BASIC_STATS = 0x7ff;
    LinuxStat st;
    TRY_VOID(stat_at(static_cast<int>(a.a0), a.user(a.a1), a.a2 & ~AT_STATX_SYNC_TYPE, st));
    Statx x {};
    x.mask = STATX_BASIC_STATS;
    x.blksize = static_cast<uint32_t>(st.blksize);
    x.nlink = static_cast<uint32_t>(st.nlink);
    x.uid = st.uid;
    x.gid = st.gid;
    x.mode = static_cast<uint16_t>(st.mode);
    x.ino = st.ino;
    x.size = static_cast<uint64_t>(st.size);
    x.blocks = static_cast<uint64_t>(st.blocks);
    x.atime = { st.atime_sec, static_cast<uint32_t>(st.atime_nsec), 0 };
    x.ctime = { st.ctime_sec, static_cast<uint32_t>(st.ctime_nsec), 0 };
    x.mtime = { st.mtime_sec, static_cast<uint32_t>(st.mtime_nsec), 0 };
    x.rdev_major = static_cast<uint32_t>(st.rdev >> 8);
    x.rdev_minor = static_cast<uint32_t>(st.rdev & 0xff);
    x.dev_major = static_cast<uint32_t>(st.dev >> 8);
    x.dev_minor = static_cast<uint32_t>(st.dev & 0xff);
    TRY_VOID(write_user(a.user(a.a4), x));
    return 0;
}

Result<int64_t> access_at(int dirfd, UserAddress path_address, uint64_t mode, uint64_t flags)
{
    constexpr uint64_t W_OK = 2, X_OK = 1, R_OK = 4;
    constexpr uint64_t AT_EACCESS = 0x200;
    if (mode & ~(R_OK | W_OK | X_OK))
        return Errno::INVAL;
    LinuxStat st;
    TRY_VOID(stat_at(dirfd, path_address, flags & ~AT_EACCESS, st));
    // We are root: reading and writing are allowed by permissions, executing needs an
    // execute bit somewhere; writing is refused by the read-only root image.
    if ((mode & W_OK) && st.dev == DEVICE_ROOT)
        return Errno::ROFS;
    if ((mode & X_OK) && (st.mode & MODE_TYPE_MASK) != MODE_DIRECTORY && !(st.mode & 0111))
        return Errno::ACCES;
    return 0;
}

Result<int64_t> sys_access(const SyscallArgs& a) { return access_at(AT_FDCWD, a.user(a.a0), a.a1, 0); }
Result<int64_t> sys_faccessat(const SyscallArgs& a) { return access_at(static_cast<int>(a.a0), a.user(a.a1), a.a2, 0); }
Result<int64_t> sys_faccessat2(const SyscallArgs& a)
{
    return access_at(static_cast<int>(a.a0), a.user(a.a1), a.a2, a.a3);
}

Result<int64_t> readlink_at(int dirfd, UserAddress path_address, UserAddress buffer, uint64_t size)
{
    if (static_cast<int64_t>(size) <= 0)
        return Errno::INVAL;
    UserPath path;
    TRY_VOID(read_user_path(path_address, path));
    TRY(const char* base, dirfd_base(dirfd, path));
    char target[PATH_CAPACITY];
    TRY(size_t n, vfs::readlink(base, path.text, target, sizeof(target)));
    if (n > size)
        n = size;
    TRY_VOID(copy_to_user(buffer, target, n));
    return static_cast<int64_t>(n);
}

Result<int64_t> sys_readlink(const SyscallArgs& a) { return readlink_at(AT_FDCWD, a.user(a.a0), a.user(a.a1), a.a2); }
Result<int64_t> sys_readlinkat(const SyscallArgs& a)
{
    return readlink_at(static_cast<int>(a.a0), a.user(a.a1), a.user(a.a2), a.a3);
}

Result<int64_t> sys_getcwd(const SyscallArgs& a)
{
    const char* cwd = vfs::cwd();
    size_t n = 0;
    while (cwd[n])
        ++n;
    if (a.a1 < n + 1)
        return Errno::RANGE;
    TRY_VOID(copy_to_user(a.user(a.a0), cwd, n + 1));
    return static_cast<int64_t>(n + 1);
}

Result<int64_t> sys_chdir(const SyscallArgs& a)
{
    UserPath path;
    TRY_VOID(read_user_path(a.user(a.a0), path));
    TRY_VOID(vfs::chdir(nullptr, path.text));
    return 0;
}

Result<int64_t> sys_fchdir(const SyscallArgs& a)
{
    TRY(File * file, fd_table().get(static_cast<int>(a.a0)));
    if (!file->is_directory())
        return Errno::NOTDIR;
    TRY_VOID(vfs::chdir(nullptr, file->path()));
    return 0;
}

Result<int64_t> mkdir_at(int dirfd, UserAddress path_address, uint32_t mode)
{
    UserPath path;
    TRY_VOID(read_user_path(path_address, path));
    TRY(const char* base, dirfd_base(dirfd, path));
    TRY_VOID(vfs::mkdir(base, path.text, mode));
    return 0;
}

Result<int64_t> remove_at(int dirfd, UserAddress path_address, bool directory)
{
    UserPath path;
    TRY_VOID(read_user_path(path_address, path));
    TRY(const char* base, dirfd_base(dirfd, path));
    TRY_VOID(vfs::remove(base, path.text, directory));
    return 0;
}

Result<int64_t> rename_at(int from_dirfd, UserAddress from_address, int to_dirfd, UserAddress to_address)
{
    UserPath from, to;
    TRY_VOID(read_user_path(from_address, from));
    TRY_VOID(read_user_path(to_address, to));
    TRY(const char* from_base, dirfd_base(from_dirfd, from));
    TRY(const char* to_base, dirfd_base(to_dirfd, to));
    TRY_VOID(vfs::rename(from_base, from.text, to_base, to.text));
    return 0;
}

Result<int64_t> sys_mkdir(const SyscallArgs& a) { return mkdir_at(AT_FDCWD, a.user(a.a0), static_cast<uint32_t>(a.a1)); }
Result<int64_t> sys_mkdirat(const SyscallArgs& a)
{
    return mkdir_at(static_cast<int>(a.a0), a.user(a.a1), static_cast<uint32_t>(a.a2));
}
Result<int64_t> sys_rmdir(const SyscallArgs& a) { return remove_at(AT_FDCWD, a.user(a.a0), true); }
Result<int64_t> sys_unlink(const SyscallArgs& a) { return remove_at(AT_FDCWD, a.user(a.a0), false); }
Result<int64_t> sys_unlinkat(const SyscallArgs& a)
{
    constexpr uint64_t AT_REMOVEDIR = 0x200;
    if (a.a2 & ~AT_REMOVEDIR)
        return Errno::INVAL;
    return remove_at(static_cast<int>(a.a0), a.user(a.a1), a.a2 & AT_REMOVEDIR);
}
Result<int64_t> sys_rename(const SyscallArgs& a) { return rename_at(AT_FDCWD, a.user(a.a0), AT_FDCWD, a.user(a.a1)); }
Result<int64_t> sys_renameat(const SyscallArgs& a)
{
    return rename_at(static_cast<int>(a.a0), a.user(a.a1), static_cast<int>(a.a2), a.user(a.a3));
}
Result<int64_t> sys_renameat2(const SyscallArgs& a)
{
    // RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT are not offered.
    if (a.a4 != 0)
        return Errno::INVAL;
    return sys_renameat(a);
}

Result<int64_t> sys_truncate(const SyscallArgs& a)
{
    if (static_cast<int64_t>(a.a1) < 0)
        return Errno::INVAL;
    UserPath path;
    TRY_VOID(read_user_path(a.user(a.a0), path));
    TRY(File * file, vfs::open(nullptr, path.text, O_WRITE_ONLY, 0));
    auto r = file->truncate(a.a1);
    file->release();
    TRY_VOID(r);
    return 0;
}

Result<int64_t> sys_ftruncate(const SyscallArgs& a)
{
    if (static_cast<int64_t>(a.a1) < 0)
        return Errno::INVAL;
    TRY(File * file, fd_table().get(static_cast<int>(a.a0)));
    if (!open_for_writing(file->status_flags))
        return Errno::INVAL;
    TRY_VOID(file->truncate(a.a1));
    return 0;
}

// Files in memory have nothing to flush; disks flush their write cache.
Result<int64_t> sys_fsync(const SyscallArgs& a)
{
    TRY(File * file, fd_table().get(static_cast<int>(a.a0)));
    TRY_VOID(file->sync());
    return 0;
}

const SyscallEntry ENTRIES[] = {
    { 4, sys_stat },
    { 5, sys_fstat },
    { 6, sys_lstat },
    { 21, sys_access },
    { 79, sys_getcwd },
    { 80, sys_chdir },
    { 81, sys_fchdir },
    { 74, sys_fsync },
    { 75, sys_fsync },  // fdatasync
    { 76, sys_truncate },
    { 77, sys_ftruncate },
    { 82, sys_rename },
    { 83, sys_mkdir },
    { 84, sys_rmdir },
    { 87, sys_unlink },
    { 89, sys_readlink },
    { 258, sys_mkdirat },
    { 262, sys_newfstatat },
    { 263, sys_unlinkat },
    { 264, sys_renameat },
    { 267, sys_readlinkat },
    { 269, sys_faccessat },
    { 316, sys_renameat2 },
    { 332, sys_statx },
    { 439, sys_faccessat2 },
};

}  // namespace

SyscallFamily path_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

}  // namespace kiln

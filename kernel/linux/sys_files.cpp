// Open files: open/openat/close, read/write and their vectored and positioned forms,
// lseek, dup*, fcntl, ioctl, getdents64.

#include "fs/fd_table.h"
#include "fs/open_flags.h"
#include "fs/vfs.h"
#include "linux/file_args.h"
#include "proc/process.h"

namespace kiln {

Result<void> read_user_path(UserAddress address, UserPath& out, bool allow_empty)
{
    TRY(out.length, copy_string_from_user(out.text, sizeof(out.text), address));
    if (out.length == 0 && !allow_empty)
        return Errno::NOENT;
    return {};
}

Result<const char*> dirfd_base(int dirfd, const UserPath& path)
{
    if (path.length > 0 && path.text[0] == '/')
        return static_cast<const char*>(nullptr);
    if (dirfd == AT_FDCWD)
        return static_cast<const char*>(nullptr);
    TRY(File * directory, fd_table().get(dirfd));
    if (!directory->is_directory() || directory->path()[0] != '/')
        return Errno::NOTDIR;
    return directory->path();
}

Result<int64_t> install_file(File* file, bool close_on_exec, int minimum)
{
    auto fd = fd_table().install(file, close_on_exec, minimum, current_process().open_file_limit());
    if (fd.is_error()) {
        file->release();
        return fd.error();
    }
    return fd.value();
}

namespace {

constexpr uint64_t MAX_IO = 0x7ffff000; // Linux's MAX_RW_COUNT

Result<File*> file_for(int fd) { return fd_table().get(fd); }

Result<File*> readable(int fd)
{
    TRY(File * file, file_for(fd));
    uint32_t mode = file->status_flags & O_ACCMODE_MASK;
    if (mode == O_WRITE_ONLY || (file->status_flags & O_PATH_FLAG))
        return Errno::BADF;
    return file;
}

Result<File*> writable(int fd)
{
    TRY(File * file, file_for(fd));
    if (!open_for_writing(file->status_flags) || (file->status_flags & O_PATH_FLAG))
        return Errno::BADF;
    return file;
}

Result<int64_t> do_openat(int dirfd, UserAddress path_address, uint32_t flags, uint32_t mode)
{
    UserPath path;
    TRY_VOID(read_user_path(path_address, path));
    TRY(const char* base, dirfd_base(dirfd, path));
    TRY(File * file, vfs::open(base, path.text, flags, mode));
    return install_file(file, flags & O_CLOEXEC_FLAG);
}

Result<int64_t> sys_open(const SyscallArgs& a)
{
    return do_openat(AT_FDCWD, a.user(a.a0), static_cast<uint32_t>(a.a1), static_cast<uint32_t>(a.a2));
}

Result<int64_t> sys_openat(const SyscallArgs& a)
{
    return do_openat(static_cast<int>(a.a0), a.user(a.a1), static_cast<uint32_t>(a.a2), static_cast<uint32_t>(a.a3));
}

Result<int64_t> sys_close(const SyscallArgs& a)
{
    TRY_VOID(fd_table().close(static_cast<int>(a.a0)));
    return 0;
}

// read/write at the file's offset (advancing it) or, for pread/pwrite, at an explicit one.
Result<int64_t> transfer(File* file, bool is_write, const IoBuffer& buffer, int64_t explicit_offset)
{
    bool positioned = explicit_offset >= 0;
    if (positioned && !file->seekable())
        return Errno::SPIPE;
    uint64_t offset = positioned ? static_cast<uint64_t>(explicit_offset) : file->offset;
    if (is_write && !positioned && (file->status_flags & O_APPEND_FLAG))
        offset = file->size();
    TRY(size_t n, is_write ? file->write(offset, buffer) : file->read(offset, buffer));
    if (!positioned && file->seekable())
        file->offset = offset + n;
    return static_cast<int64_t>(n);
}

Result<int64_t> sys_read(const SyscallArgs& a)
{
    TRY(File * file, readable(static_cast<int>(a.a0)));
    uint64_t length = a.a2 > MAX_IO ? MAX_IO : a.a2;
    return transfer(file, false, IoBuffer::user(a.user(a.a1), length), -1);
}

Result<int64_t> sys_write(const SyscallArgs& a)
{
    TRY(File * file, writable(static_cast<int>(a.a0)));
    uint64_t length = a.a2 > MAX_IO ? MAX_IO : a.a2;
    return transfer(file, true, IoBuffer::user(a.user(a.a1), length), -1);
}

Result<int64_t> sys_pread64(const SyscallArgs& a)
{
    TRY(File * file, readable(static_cast<int>(a.a0)));
    if (static_cast<int64_t>(a.a3) < 0)
        return Errno::INVAL;
    uint64_t length = a.a2 > MAX_IO ? MAX_IO : a.a2;
    return transfer(file, false, IoBuffer::user(a.user(a.a1), length), static_cast<int64_t>(a.a3));
}

Result<int64_t> sys_pwrite64(const SyscallArgs& a)
{
    TRY(File * file, writable(static_cast<int>(a.a0)));
    if (static_cast<int64_t>(a.a3) < 0)
        return Errno::INVAL;
    uint64_t length = a.a2 > MAX_IO ? MAX_IO : a.a2;
    return transfer(file, true, IoBuffer::user(a.user(a.a1), length), static_cast<int64_t>(a.a3));
}

struct IoVector {
    uint64_t base;
    uint64_t length;
};

// readv/writev/preadv/pwritev: one transfer per vector; a short transfer ends the call.
Result<int64_t> vectored(File* file, bool is_write, UserAddress vectors, uint64_t count, int64_t offset)
{
    constexpr uint64_t IOV_MAX = 1024;
    if (count > IOV_MAX)
        return Errno::INVAL;
    int64_t total = 0;
    for (uint64_t i = 0; i < count; ++i) {
        TRY(IoVector v, read_user<IoVector>(UserAddress { vectors.value + i * sizeof(IoVector) }));
        if (v.length > MAX_IO)
            return Errno::INVAL;
        if (v.length == 0)
            continue;
        auto n = transfer(
            file, is_write, IoBuffer::user(UserAddress { v.base }, v.length), offset >= 0 ? offset + total : -1);
        if (n.is_error())
            return total > 0 ? Result<int64_t>(total) : n;
        total += n.value();
        if (static_cast<uint64_t>(n.value()) < v.length)
            break;
    }
    return total;
}

Result<int64_t> sys_readv(const SyscallArgs& a)
{
    TRY(File * file, readable(static_cast<int>(a.a0)));
    return vectored(file, false, a.user(a.a1), a.a2, -1);
}

Result<int64_t> sys_writev(const SyscallArgs& a)
{
    TRY(File * file, writable(static_cast<int>(a.a0)));
    return vectored(file, true, a.user(a.a1), a.a2, -1);
}

Result<int64_t> sys_preadv(const SyscallArgs& a)
{
    TRY(File * file, readable(static_cast<int>(a.a0)));
    if (static_cast<int64_t>(a.a3) < 0)
        return Errno::INVAL;
    return vectored(file, false, a.user(a.a1), a.a2, static_cast<int64_t>(a.a3));
}

Result<int64_t> sys_pwritev(const SyscallArgs& a)
{
    TRY(File * file, writable(static_cast<int>(a.a0)));
    if (static_cast<int64_t>(a.a3) < 0)
        return Errno::INVAL;
    return vectored(file, true, a.user(a.a1), a.a2, static_cast<int64_t>(a.a3));
}

Result<int64_t> sys_lseek(const SyscallArgs& a)
{
    constexpr uint64_t SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    TRY(File * file, file_for(static_cast<int>(a.a0)));
    if (!file->seekable())
        return Errno::SPIPE;
    int64_t offset = static_cast<int64_t>(a.a1);
    int64_t base = 0;
    switch (a.a2) {
    case SEEK_SET:
        break;
    case SEEK_CUR:
        base = static_cast<int64_t>(file->offset);
        break;
    case SEEK_END:
        base = static_cast<int64_t>(file->size());
        break;
    case SEEK_DATA:
    case SEEK_HOLE:
        // No holes are reported: all data until the end, one hole at the end.
        if (offset < 0 || static_cast<uint64_t>(offset) >= file->size())
            return Errno::NXIO;
        file->offset = a.a2 == SEEK_DATA ? static_cast<uint64_t>(offset) : file->size();
        return static_cast<int64_t>(file->offset);
    default:
        return Errno::INVAL;
    }
    int64_t target;
    if (__builtin_add_overflow(base, offset, &target) || target < 0)
        return Errno::INVAL;
    file->offset = static_cast<uint64_t>(target);
    return target;
}

Result<int64_t> sys_dup(const SyscallArgs& a)
{
    TRY(File * file, file_for(static_cast<int>(a.a0)));
    file->retain();
    return install_file(file, false);
}

Result<int64_t> dup_to(int old_fd, int new_fd, bool close_on_exec)
{
    TRY(File * file, file_for(old_fd));
    if (new_fd < 0 || new_fd >= current_process().open_file_limit())
        return Errno::BADF;
    file->retain();
    TRY_VOID(fd_table().install_at(new_fd, file, close_on_exec));
    return new_fd;
}

Result<int64_t> sys_dup2(const SyscallArgs& a)
{
    int old_fd = static_cast<int>(a.a0), new_fd = static_cast<int>(a.a1);
    if (old_fd == new_fd) {
        TRY_VOID(file_for(old_fd));
        return new_fd;
    }
    return dup_to(old_fd, new_fd, false);
}

Result<int64_t> sys_dup3(const SyscallArgs& a)
{
    int old_fd = static_cast<int>(a.a0), new_fd = static_cast<int>(a.a1);
    if (old_fd == new_fd || (a.a2 & ~static_cast<uint64_t>(O_CLOEXEC_FLAG)))
        return Errno::INVAL;
    return dup_to(old_fd, new_fd, a.a2 & O_CLOEXEC_FLAG);
}

Result<int64_t> sys_fcntl(const SyscallArgs& a)
{
    constexpr uint64_t F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    constexpr uint64_t FD_CLOEXEC = 1;
    int fd = static_cast<int>(a.a0);
    TRY(File * file, file_for(fd));
    switch (a.a1) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        int minimum = static_cast<int>(a.a2);
        if (minimum < 0 || minimum >= current_process().open_file_limit())
            return Errno::INVAL;
        file->retain();
        return install_file(file, a.a1 == F_DUPFD_CLOEXEC, minimum);
    }
    case F_GETFD:
        return fd_table().close_on_exec(fd) ? FD_CLOEXEC : 0;
    case F_SETFD:
        fd_table().set_close_on_exec(fd, a.a2 & FD_CLOEXEC);
        return 0;
    case F_GETFL:
        return file->status_flags;
    case F_SETFL: {
        // Only O_APPEND and O_NONBLOCK can change after open (fcntl(2)).
        constexpr uint32_t changeable = O_APPEND_FLAG | O_NONBLOCK_FLAG;
        file->status_flags = (file->status_flags & ~changeable) | (static_cast<uint32_t>(a.a2) & changeable);
        return 0;
    }
    default:
        return Errno::INVAL;
    }
}

Result<int64_t> sys_ioctl(const SyscallArgs& a)
{
    constexpr uint64_t FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;
    int fd = static_cast<int>(a.a0);
    TRY(File * file, file_for(fd));
    switch (a.a1) {
    case FIONBIO: {
        TRY(int32_t on, read_user<int32_t>(a.user(a.a2)));
        file->status_flags = on ? file->status_flags | O_NONBLOCK_FLAG : file->status_flags & ~O_NONBLOCK_FLAG;
        return 0;
    }
    case FIOCLEX:
    case FIONCLEX:
        fd_table().set_close_on_exec(fd, a.a1 == FIOCLEX);
        return 0;
    default:
        // Terminal ioctls (TCGETS...) get ENOTTY everywhere: the console is a serial
        // line we do not present as a terminal, so programs print plainly.
        return file->ioctl(a.a1, a.a2);
    }
}

struct DirentWriter {
    IoBuffer buffer;
    size_t used = 0;
    bool offered = false; // at least one entry was left to return
    bool failed = false;
};

Result<int64_t> sys_getdents64(const SyscallArgs& a)
{
    TRY(File * file, readable(static_cast<int>(a.a0)));
    if (!file->is_directory())
        return Errno::NOTDIR;
    DirentWriter writer { IoBuffer::user(a.user(a.a1), a.a2) };
    auto visit = [](void* context, const DirectoryEntry& entry) -> bool {
        auto& w = *static_cast<DirentWriter*>(context);
        w.offered = true;
        // struct linux_dirent64: ino, off, reclen, type, name + NUL, padded to 8.
        size_t record = (19 + entry.name_length + 1 + 7) & ~size_t(7);
        if (w.used + record > w.buffer.length())
            return false;
        uint8_t header[19];
        int64_t next = static_cast<int64_t>(entry.next_cookie);
        uint16_t reclen = static_cast<uint16_t>(record);
        __builtin_memcpy(header, &entry.ino, 8);
        __builtin_memcpy(header + 8, &next, 8);
        __builtin_memcpy(header + 16, &reclen, 2);
        header[18] = entry.type;
        uint8_t padding[8] = {};
        if (w.buffer.write(w.used, header, 19).is_error()
            || w.buffer.write(w.used + 19, entry.name, entry.name_length).is_error()
            || w.buffer.write(w.used + 19 + entry.name_length, padding, record - 19 - entry.name_length).is_error()) {
            w.failed = true;
            return false;
        }
        w.used += record;
        return true;
    };
    TRY(uint64_t resume, file->read_directory(file->offset, visit, &writer));
    if (writer.failed)
        return Errno::FAULT;
    // Not even one entry fit: Linux says EINVAL ("result buffer is too small").
    if (writer.used == 0 && writer.offered)
        return Errno::INVAL;
    file->offset = resume;
    return static_cast<int64_t>(writer.used);
}

const SyscallEntry ENTRIES[] = {
    { 0, sys_read },
    { 1, sys_write },
    { 2, sys_open },
    { 3, sys_close },
    { 8, sys_lseek },
    { 16, sys_ioctl },
    { 17, sys_pread64 },
    { 18, sys_pwrite64 },
    { 19, sys_readv },
    { 20, sys_writev },
    { 32, sys_dup },
    { 33, sys_dup2 },
    { 72, sys_fcntl },
    { 217, sys_getdents64 },
    { 257, sys_openat },
    { 292, sys_dup3 },
    { 295, sys_preadv },
    { 296, sys_pwritev },
};

} // namespace

SyscallFamily file_syscalls() { return { ENTRIES, sizeof(ENTRIES) / sizeof(ENTRIES[0]) }; }

} // namespace kiln

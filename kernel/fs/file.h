#pragma once

// An open file description (what a file descriptor points to): the object behind
// read/write/lseek/fstat/getdents64/ioctl/mmap. Subclasses: files on the root image,
// generated pseudo-files, character devices, /tmp files. Reference-counted: dup() and
// fork-less fd tables share one description and its offset, as on Linux.

#include <stddef.h>
#include <stdint.h>

#include "fs/io_buffer.h"
#include "fs/poll_events.h"
#include "lib/result.h"

namespace kiln {

class BlockDeviceFile;
class EpollFile;
class EventFd;
class SocketFile;
class TimerFd;

// struct stat as x86-64 Linux lays it out (arch/x86/include/uapi/asm/stat.h).
struct LinuxStat {
    uint64_t dev;
    uint64_t ino;
    uint64_t nlink;
    uint32_t mode;
    uint32_t uid;
    uint32_t gid;
    uint32_t pad0;
    uint64_t rdev;
    int64_t size;
    int64_t blksize;
    int64_t blocks;  // 512-byte units
    int64_t atime_sec, atime_nsec;
    int64_t mtime_sec, mtime_nsec;
    int64_t ctime_sec, ctime_nsec;
    int64_t reserved[3];
};
static_assert(sizeof(LinuxStat) == 144);

// File type bits of st_mode (S_IFMT and friends).
inline constexpr uint32_t MODE_TYPE_MASK = 0170000;
inline constexpr uint32_t MODE_DIRECTORY = 0040000;
inline constexpr uint32_t MODE_REGULAR = 0100000;
inline constexpr uint32_t MODE_SYMLINK = 0120000;
inline constexpr uint32_t MODE_CHAR_DEVICE = 0020000;

// Device numbers (st_dev) of our filesystems, for tools that compare them.
inline constexpr uint64_t DEVICE_ROOT = 0x0801;   // the root image
inline constexpr uint64_t DEVICE_PSEUDO = 0x0004; // /proc, /sys, /dev
inline constexpr uint64_t DEVICE_TMP = 0x0021;    // /tmp

// One getdents64 record, handed to the caller's visitor by File::read_directory.
struct DirectoryEntry {
    const char* name;
    size_t name_length;
    uint64_t ino;
    uint8_t type;  // DT_* (d_type)
    uint64_t next_cookie;
};

class File {
public:
    File() = default;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    virtual ~File();

    // Reads at offset; returns bytes read (0 = end of file). Files that are not seekable
    // ignore the offset.
    virtual Result<size_t> read(uint64_t offset, const IoBuffer& buffer) = 0;
    virtual Result<size_t> write(uint64_t offset, const IoBuffer& buffer) { return Errno::BADF; }
    virtual Result<void> stat(LinuxStat& out) const = 0;
    virtual bool seekable() const { return true; }
    virtual uint64_t size() const { return 0; }
    virtual Result<int64_t> ioctl(uint64_t request, uint64_t argument) { return Errno::NOTTY; }
    virtual Result<void> truncate(uint64_t length) { return Errno::INVAL; }
    // fsync(2): makes completed writes durable. Nothing to do for memory-backed files.
    virtual Result<void> sync() { return {}; }

    // Directories: calls `visit` for entries from `cookie` until it returns false;
    // returns the cookie to resume from. ENOTDIR for everything else.
    using EntryVisitor = bool (*)(void* context, const DirectoryEntry& entry);
    virtual Result<uint64_t> read_directory(uint64_t cookie, EntryVisitor visit, void* context)
    {
        return Errno::NOTDIR;
    }
    virtual bool is_directory() const { return false; }

    // The whole file as one run of bytes in kernel memory (a root-image file stored in
    // one block-aligned piece), so file-backed mmap can map its pages without copying;
    // nullptr when the file is not held that way.
    virtual const uint8_t* contents() const { return nullptr; }

    // Readiness for poll/epoll (POLL_* bits). Regular files are always ready, as on
    // Linux; files whose readiness changes (eventfd, timerfd, sockets) override this and
    // pollable(), and say by when time alone will change it (timerfd) in poll_deadline().
    virtual uint32_t poll_events() const { return POLL_IN | POLL_OUT | POLL_RDNORM | POLL_WRNORM; }
    virtual bool pollable() const { return false; }
    virtual uint64_t poll_deadline() const { return ~0ULL; }

    // The few calls that only make sense on one kind of file (epoll_ctl, timerfd_settime,
    // the socket calls, AIO) find it here; the kernel has no RTTI.
    virtual EpollFile* as_epoll() { return nullptr; }
    virtual EventFd* as_eventfd() { return nullptr; }
    virtual BlockDeviceFile* as_block_device() { return nullptr; }
    virtual TimerFd* as_timerfd() { return nullptr; }
    virtual SocketFile* as_socket() { return nullptr; }

    // The absolute path this was opened with, for openat() relative to it and for
    // /proc/self/fd; "" when unnamed.
    const char* path() const { return m_path ? m_path : ""; }
    Result<void> set_path(const char* path, size_t length);

    // Open-file state shared by every descriptor that refers to this description.
    uint64_t offset = 0;
    uint32_t status_flags = 0;  // O_APPEND, O_NONBLOCK, access mode

    void retain() { ++m_references; }
    // Drops a reference; destroys the object on the last one.
    void release();

private:
    uint32_t m_references = 1;
    char* m_path = nullptr;
};

}  // namespace kiln

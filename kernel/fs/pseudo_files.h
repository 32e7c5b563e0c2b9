#pragma once

// Files that exist only in the kernel: character devices (/dev/null, /dev/zero,
// /dev/urandom, /dev/random, the console) and read-only text generated when the file is
// opened (/proc/self/maps, /proc/meminfo, /sys/devices/system/cpu/online, ...), plus the
// directories that hold them.

#include "fs/file.h"

namespace kiln {

enum class CharDevice : uint8_t { Null, Zero, Random, Console };

class CharDeviceFile final : public File {
public:
    explicit CharDeviceFile(CharDevice device) : m_device(device) {}

    Result<size_t> read(uint64_t offset, const IoBuffer& buffer) override;
    Result<size_t> write(uint64_t offset, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    bool seekable() const override { return false; }

private:
    CharDevice m_device;
};

// Read-only text snapshot taken at open, like most of procfs.
class GeneratedFile final : public File {
public:
    // Takes ownership of a kalloc'd buffer.
    GeneratedFile(char* text, size_t length, uint64_t ino) : m_text(text), m_length(length), m_ino(ino) {}
    ~GeneratedFile() override;

    Result<size_t> read(uint64_t offset, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    uint64_t size() const override { return m_length; }

private:
    char* m_text;
    size_t m_length;
    uint64_t m_ino;
};

// A directory of the pseudo-filesystems with a fixed list of names.
class PseudoDirectory final : public File {
public:
    struct Entry {
        const char* name;
        uint8_t type;  // DT_*
    };
    PseudoDirectory(const Entry* entries, size_t count, uint64_t ino) : m_entries(entries), m_count(count), m_ino(ino)
    {
    }

    Result<size_t> read(uint64_t, const IoBuffer&) override { return Errno::ISDIR; }
    Result<void> stat(LinuxStat& out) const override;
    bool is_directory() const override { return true; }
    Result<uint64_t> read_directory(uint64_t cookie, EntryVisitor visit, void* context) override;

private:
    const Entry* m_entries;
    size_t m_count;
    uint64_t m_ino;
};

}  // namespace kiln

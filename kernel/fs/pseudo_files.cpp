#include "fs/pseudo_files.h"

#include "dev/console.h"
#include "lib/kalloc.h"
#include "random/entropy.h"

namespace kiln {

Result<size_t> CharDeviceFile::read(uint64_t, const IoBuffer& buffer)
{
    switch (m_device) {
    case CharDevice::Null:
    case CharDevice::Console:  // no console input yet: end of file
        return 0;
    case CharDevice::Zero:
        TRY_VOID(buffer.zero(0, buffer.length()));
        return buffer.length();
    case CharDevice::Random: {
        uint8_t chunk[256];
        for (size_t done = 0; done < buffer.length();) {
            size_t n = buffer.length() - done < sizeof(chunk) ? buffer.length() - done : sizeof(chunk);
            random_fill(chunk, n);
            TRY_VOID(buffer.write(done, chunk, n));
            done += n;
        }
        __builtin_memset(chunk, 0, sizeof(chunk));
        return buffer.length();
    }
    }
    return 0;
}

Result<size_t> CharDeviceFile::write(uint64_t, const IoBuffer& buffer)
{
    if (m_device != CharDevice::Console)
        return buffer.length();  // /dev/null and friends swallow everything
    char chunk[256];
    for (size_t done = 0; done < buffer.length();) {
        size_t n = buffer.length() - done < sizeof(chunk) ? buffer.length() - done : sizeof(chunk);
        if (auto r = buffer.read(done, chunk, n); r.is_error())
            return done > 0 ? Result<size_t>(done) : Result<size_t>(r.error());
        console_write(chunk, n);
        done += n;
    }
    return buffer.length();
}

Result<void> CharDeviceFile::stat(LinuxStat& out) const
{
    // Linux's major/minor numbers: mem devices are major 1, the serial console 4:64.
    static constexpr uint32_t rdev[] = { (1 << 8) | 3, (1 << 8) | 5, (1 << 8) | 9, (4 << 8) | 64 };
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.ino = 100 + static_cast<uint64_t>(m_device);
    out.nlink = 1;
    out.mode = MODE_CHAR_DEVICE | 0666;
    out.rdev = rdev[static_cast<int>(m_device)];
    out.blksize = 4096;
    return {};
}

GeneratedFile::~GeneratedFile() { kfree(m_text); }

Result<size_t> GeneratedFile::read(uint64_t offset, const IoBuffer& buffer)
{
    if (offset >= m_length)
        return 0;
    size_t n = m_length - offset < buffer.length() ? m_length - offset : buffer.length();
    TRY_VOID(buffer.write(0, m_text + offset, n));
    return n;
}

Result<void> GeneratedFile::stat(LinuxStat& out) const
{
    // procfs reports size 0 for generated files; readers must read until EOF. We report
    // the snapshot's real size, which readers that trust st_size also handle.
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.ino = m_ino;
    out.nlink = 1;
    out.mode = MODE_REGULAR | 0444;
    out.size = static_cast<int64_t>(m_length);
    out.blksize = 4096;
    return {};
}

Result<void> PseudoDirectory::stat(LinuxStat& out) const
{
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.ino = m_ino;
    out.nlink = 2;
    out.mode = MODE_DIRECTORY | 0555;
    out.blksize = 4096;
    return {};
}

Result<uint64_t> PseudoDirectory::read_directory(uint64_t cookie, EntryVisitor visit, void* context)
{
    // Cookies are indexes; "." and ".." come first, as every Linux directory lists them.
    for (uint64_t i = cookie; i < m_count + 2; ++i) {
        const char* name = i == 0 ? "." : (i == 1 ? ".." : m_entries[i - 2].name);
        uint8_t type = i < 2 ? 4 : m_entries[i - 2].type;
        size_t length = 0;
        while (name[length])
            ++length;
        if (!visit(context, DirectoryEntry { name, length, m_ino * 64 + i, type, i + 1 }))
            return i;
    }
    return m_count + 2;
}

}  // namespace kiln

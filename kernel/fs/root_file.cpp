#include "fs/root_file.h"

namespace kiln {

uint8_t dirent_type(erofs::FileType type)
{
    using erofs::FileType;
    switch (type) {
    case FileType::Regular:
        return 8;  // DT_REG
    case FileType::Directory:
        return 4;  // DT_DIR
    case FileType::Symlink:
        return 10;  // DT_LNK
    case FileType::CharDevice:
        return 2;  // DT_CHR
    case FileType::BlockDevice:
        return 6;  // DT_BLK
    case FileType::Fifo:
        return 1;  // DT_FIFO
    case FileType::Socket:
        return 12;  // DT_SOCK
    case FileType::Unknown:
        break;
    }
    return 0;  // DT_UNKNOWN
}

void root_inode_stat(const erofs::Inode& inode, LinuxStat& out)
{
    out = LinuxStat {};
    out.dev = DEVICE_ROOT;
    out.ino = inode.ino();
    out.nlink = inode.nlink();
    out.mode = inode.mode();
    out.uid = inode.uid();
    out.gid = inode.gid();
    out.rdev = inode.rdev();
    out.size = static_cast<int64_t>(inode.size());
    out.blksize = 4096;
    out.blocks = static_cast<int64_t>((inode.size() + 511) / 512);
    out.atime_sec = out.mtime_sec = out.ctime_sec = static_cast<int64_t>(inode.mtime_sec());
    out.atime_nsec = out.mtime_nsec = out.ctime_nsec = inode.mtime_nsec();
}

Result<size_t> RootFile::read(uint64_t offset, const IoBuffer& buffer)
{
    if (m_inode.is_directory())
        return Errno::ISDIR;
    if (offset >= m_inode.size())
        return 0;
    uint64_t wanted = m_inode.size() - offset < buffer.length() ? m_inode.size() - offset : buffer.length();
    // Copy extent by extent straight from the image into the caller's buffer.
    size_t done = 0;
    while (done < wanted) {
        TRY(erofs::Extent extent, m_fs.map(m_inode, offset + done));
        uint64_t skip = offset + done - extent.file_offset;
        uint64_t n = extent.length - skip;
        if (n > wanted - done)
            n = wanted - done;
        if (extent.hole) {
            TRY_VOID(buffer.zero(done, n));
        } else {
            TRY_VOID(buffer.write(done, m_fs.image().data() + extent.image_offset + skip, n));
        }
        done += n;
    }
    return done;
}

Result<void> RootFile::stat(LinuxStat& out) const
{
    root_inode_stat(m_inode, out);
    return {};
}

Result<uint64_t> RootFile::read_directory(uint64_t cookie, EntryVisitor visit, void* context)
{
    if (!m_inode.is_directory())
        return Errno::NOTDIR;
    return m_fs.read_directory(m_inode, cookie, [&](const erofs::DirEntry& entry) {
        DirectoryEntry out { entry.name.data(), entry.name.size(), entry.nid, dirent_type(entry.type),
            entry.next_cookie };
        return visit(context, out) ? erofs::IterationDecision::Continue : erofs::IterationDecision::Break;
    });
}

const uint8_t* RootFile::contents() const
{
    if (!m_inode.is_regular() || m_inode.size() == 0)
        return nullptr;
    // Only a file stored in one block-aligned piece can be mapped from the image.
    auto extent = m_fs.map(m_inode, 0);
    if (extent.is_error() || extent->hole || !extent->block_aligned || extent->length < m_inode.size())
        return nullptr;
    return m_fs.image().data() + extent->image_offset;
}

}  // namespace kiln

// EROFS reader: superblock, inodes, file data and directories.
// Format references are to Linux Documentation/filesystems/erofs.rst ("On-disk
// details") and fs/erofs/erofs_fs.h; the path walk lives in erofs_path.cpp.

#include "fs/erofs/erofs.h"

#include "fs/erofs/erofs_util.h"

namespace kiln::erofs {

using namespace format;
using detail::add_overflows;
using detail::compare_names;
using detail::min_u64;
using detail::mul_overflows;

namespace {

constexpr uint64_t DIRENT_SIZE = sizeof(Dirent);

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) without the final inversion:
// Linux checks crc32c(~0, superblock) with the kernel's raw crc32c(), which does not
// invert its result. Bitwise, because it runs once per mount over 3 KiB.
uint32_t crc32c_raw(uint32_t crc, const uint8_t* data, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc;
}

Result<FileType> file_type_from_mode(uint16_t mode)
{
    switch (mode & MODE_IFMT) {
    case MODE_IFREG: return FileType::Regular;
    case MODE_IFDIR: return FileType::Directory;
    case MODE_IFLNK: return FileType::Symlink;
    case MODE_IFCHR: return FileType::CharDevice;
    case MODE_IFBLK: return FileType::BlockDevice;
    case MODE_IFIFO: return FileType::Fifo;
    case MODE_IFSOCK: return FileType::Socket;
    default: return Errno::UCLEAN;
    }
}

bool has_data(const Inode& inode)
{
    return inode.is_regular() || inode.is_directory() || inode.is_symlink();
}

uint64_t blocks_for(uint64_t size) { return (size >> BLOCK_SIZE_BITS) + ((size & (BLOCK_SIZE - 1)) != 0); }

}  // namespace

// A validated directory block: `count` dirents, names strictly inside `data`, each name
// 1..NAME_LEN bytes. After directory_block() returns one, entry() and name() cannot fail.
struct Erofs::DirBlock {
    std::span<const uint8_t> data;
    uint64_t position = 0;  // byte position of the block within the directory
    uint32_t count = 0;
    uint32_t last_name_end = 0;

    Dirent entry(uint32_t index) const
    {
        Dirent dirent;
        __builtin_memcpy(&dirent, data.data() + uint64_t{index} * DIRENT_SIZE, sizeof(dirent));
        return dirent;
    }

    std::string_view name(uint32_t index) const
    {
        uint32_t begin = entry(index).nameoff;
        uint32_t end = index + 1 < count ? entry(index + 1).nameoff : last_name_end;
        return {reinterpret_cast<const char*>(data.data()) + begin, end - begin};
    }

    // Bisects the block's sorted names.
    bool find(std::string_view wanted, Nid& nid) const
    {
        uint32_t low = 0;
        uint32_t high = count;
        while (low < high) {
            uint32_t middle = low + (high - low) / 2;
            int order = compare_names(wanted, name(middle));
            if (order == 0) {
                nid = entry(middle).nid;
                return true;
            }
            if (order < 0)
                high = middle;
            else
                low = middle + 1;
        }
        return false;
    }
};

Result<std::span<const uint8_t>> Erofs::bytes(uint64_t offset, uint64_t length) const
{
    uint64_t end;
    if (add_overflows(offset, length, end) || end > m_image.size())
        return Errno::UCLEAN;
    return m_image.subspan(offset, length);
}

// Copies a struct out of the image; `bytes` comes from bytes() and is sizeof(T) long.
template <typename T>
static T load(std::span<const uint8_t> bytes)
{
    T value;
    __builtin_memcpy(&value, bytes.data(), sizeof(T));
    return value;
}

Result<Erofs> Erofs::try_open(std::span<const uint8_t> image)
{
    Erofs fs;
    fs.m_image = image;

    // Too short to hold a superblock: not an EROFS image rather than a corrupt one.
    auto sb_bytes = fs.bytes(SUPERBLOCK_OFFSET, sizeof(SuperBlock));
    if (!sb_bytes)
        return Errno::INVAL;
    SuperBlock sb = load<SuperBlock>(*sb_bytes);

    if (sb.magic != SUPER_MAGIC_V1)
        return Errno::INVAL;
    if (sb.blkszbits != BLOCK_SIZE_BITS)
        return Errno::INVAL;
    if ((sb.feature_incompat & ~SUPPORTED_FEATURE_INCOMPAT) != 0)
        return Errno::OPNOTSUPP;

    uint64_t sb_size = sizeof(SuperBlock) + uint64_t{sb.sb_extslots} * 16;
    if (SUPERBLOCK_OFFSET + sb_size > BLOCK_SIZE)
        return Errno::UCLEAN;

    // The checksum covers the rest of block 0 from the superblock on (Linux
    // erofs_superblock_csum_verify).
    if (sb.feature_compat & FEATURE_COMPAT_SB_CHKSUM) {
        TRY(auto block, fs.bytes(SUPERBLOCK_OFFSET, BLOCK_SIZE - SUPERBLOCK_OFFSET));
        constexpr size_t checksum_at = offsetof(SuperBlock, checksum);
        const uint8_t zeros[4] = {};
        uint32_t crc = crc32c_raw(~0u, block.data(), checksum_at);
        crc = crc32c_raw(crc, zeros, sizeof(zeros));
        crc = crc32c_raw(crc, block.data() + checksum_at + 4, block.size() - checksum_at - 4);
        if (crc != sb.checksum)
            return Errno::UCLEAN;
    }

    fs.m_meta_offset = uint64_t{sb.meta_blkaddr} << BLOCK_SIZE_BITS;
    if (fs.m_meta_offset >= image.size())
        return Errno::UCLEAN;
    fs.m_root_nid = sb.root_nid;
    fs.m_inode_count = sb.inos;
    fs.m_build_time = sb.build_time;
    fs.m_build_time_nsec = sb.build_time_nsec;

    TRY(Inode root, fs.root());
    if (!root.is_directory())
        return Errno::UCLEAN;
    return fs;
}

Result<Inode> Erofs::inode(Nid nid) const
{
    uint64_t slot;
    uint64_t offset;
    if (mul_overflows(nid, uint64_t{1} << INODE_SLOT_BITS, slot) || add_overflows(m_meta_offset, slot, offset))
        return Errno::UCLEAN;
    TRY(auto compact_bytes, bytes(offset, sizeof(InodeCompact)));
    InodeCompact compact = load<InodeCompact>(compact_bytes);

    // Unknown i_format bits mean a newer format, as in Linux erofs_read_inode.
    if (compact.i_format & ~I_ALL)
        return Errno::OPNOTSUPP;

    Inode inode;
    inode.m_nid = nid;
    inode.m_extended = (compact.i_format & I_VERSION_MASK) == INODE_LAYOUT_EXTENDED;
    uint16_t xattr_icount;
    uint64_t inode_size;
    if (inode.m_extended) {
        TRY(auto extended_bytes, bytes(offset, sizeof(InodeExtended)));
        InodeExtended extended = load<InodeExtended>(extended_bytes);
        inode_size = sizeof(InodeExtended);
        xattr_icount = extended.i_xattr_icount;
        inode.m_mode = extended.i_mode;
        inode.m_nlink = extended.i_nlink;
        inode.m_size = extended.i_size;
        inode.m_raw_blkaddr = extended.i_u;
        inode.m_uid = extended.i_uid;
        inode.m_gid = extended.i_gid;
        inode.m_mtime_sec = extended.i_mtime;
        inode.m_mtime_nsec = extended.i_mtime_nsec;
    } else {
        inode_size = sizeof(InodeCompact);
        xattr_icount = compact.i_xattr_icount;
        inode.m_mode = compact.i_mode;
        inode.m_nlink = compact.i_nlink;
        inode.m_size = compact.i_size;
        inode.m_raw_blkaddr = compact.i_u;
        inode.m_uid = compact.i_uid;
        inode.m_gid = compact.i_gid;
        // Compact inodes have no timestamp; they all carry the image's build time.
        inode.m_mtime_sec = m_build_time;
        inode.m_mtime_nsec = m_build_time_nsec;
    }

    TRY(inode.m_type, file_type_from_mode(inode.m_mode));

    auto layout = static_cast<DataLayout>((compact.i_format >> I_DATALAYOUT_SHIFT) & I_DATALAYOUT_MASK);
    switch (layout) {
    case DataLayout::FlatPlain:
    case DataLayout::FlatInline:
    case DataLayout::ChunkBased:
        break;
    default:
        // Compressed (1, 3) or reserved layouts: this reader has no decompressor.
        return Errno::OPNOTSUPP;
    }
    inode.m_layout = layout;

    // Cannot overflow: offset is inside the image and the other two terms are small.
    inode.m_tail_offset = offset + inode_size + xattr_ibody_size(xattr_icount);

    if (!has_data(inode)) {
        inode.m_rdev = inode.m_raw_blkaddr;
        return inode;
    }
    if (inode.is_symlink() && (inode.m_size == 0 || inode.m_size >= MAX_PATH_LENGTH))
        return Errno::UCLEAN;
    return check_data_layout(inode);
}

// Checks once that the data an inode describes lies inside the image, so a corrupt
// inode is reported when it is opened. Reads re-check through bytes() regardless.
Result<Inode> Erofs::check_data_layout(Inode inode) const
{
    uint64_t size = inode.m_size;
    uint64_t data_start = uint64_t{inode.m_raw_blkaddr} << BLOCK_SIZE_BITS;
    switch (inode.m_layout) {
    case DataLayout::FlatPlain:
        if (size != 0)
            TRY_VOID(bytes(data_start, size));
        return inode;
    case DataLayout::FlatInline: {
        if (size == 0)
            return inode;
        // All blocks but the last are ordinary blocks; the last one, however short,
        // is the inline tail, which must not cross a block boundary (Linux
        // erofs_map_blocks_flatmode).
        uint64_t whole = (blocks_for(size) - 1) << BLOCK_SIZE_BITS;
        uint64_t tail = size - whole;
        if (whole != 0)
            TRY_VOID(bytes(data_start, whole));
        if ((inode.m_tail_offset & (BLOCK_SIZE - 1)) + tail > BLOCK_SIZE)
            return Errno::UCLEAN;
        TRY_VOID(bytes(inode.m_tail_offset, tail));
        return inode;
    }
    case DataLayout::ChunkBased: {
        uint16_t chunk_format = static_cast<uint16_t>(inode.m_raw_blkaddr);
        if (chunk_format & ~CHUNK_FORMAT_ALL)
            return Errno::OPNOTSUPP;
        inode.m_chunk_format = chunk_format;
        unsigned chunk_bits = BLOCK_SIZE_BITS + (chunk_format & CHUNK_FORMAT_BLKBITS_MASK);
        uint64_t chunks = (size >> chunk_bits) + ((size & ((uint64_t{1} << chunk_bits) - 1)) != 0);
        uint64_t unit = (chunk_format & CHUNK_FORMAT_INDEXES) ? sizeof(ChunkIndex) : sizeof(uint32_t);
        // The index array starts at the next multiple of its entry size.
        inode.m_tail_offset = (inode.m_tail_offset + unit - 1) & ~(unit - 1);
        uint64_t array_size;
        if (mul_overflows(chunks, unit, array_size))
            return Errno::UCLEAN;
        TRY_VOID(bytes(inode.m_tail_offset, array_size));
        return inode;
    }
    default:
        return Errno::OPNOTSUPP;
    }
}

Result<Extent> Erofs::map(const Inode& inode, uint64_t offset) const
{
    if (!has_data(inode) || offset >= inode.m_size)
        return Errno::INVAL;

    uint64_t size = inode.m_size;
    uint64_t data_start = uint64_t{inode.m_raw_blkaddr} << BLOCK_SIZE_BITS;
    Extent extent;
    extent.file_offset = offset;

    switch (inode.m_layout) {
    case DataLayout::FlatPlain:
        extent.length = size - offset;
        if (add_overflows(data_start, offset, extent.image_offset))
            return Errno::UCLEAN;
        break;
    case DataLayout::FlatInline: {
        uint64_t whole = (blocks_for(size) - 1) << BLOCK_SIZE_BITS;
        if (offset < whole) {
            extent.length = whole - offset;
            extent.image_offset = data_start + offset;
        } else {
            extent.length = size - offset;
            extent.image_offset = inode.m_tail_offset + (offset - whole);
        }
        break;
    }
    case DataLayout::ChunkBased: {
        unsigned chunk_bits = BLOCK_SIZE_BITS + (inode.m_chunk_format & CHUNK_FORMAT_BLKBITS_MASK);
        uint64_t chunk = offset >> chunk_bits;
        uint64_t chunk_start = chunk << chunk_bits;
        uint64_t chunk_end;
        if (add_overflows(chunk_start, uint64_t{1} << chunk_bits, chunk_end) || chunk_end > size)
            chunk_end = size;

        uint32_t blkaddr;
        if (inode.m_chunk_format & CHUNK_FORMAT_INDEXES) {
            TRY(auto index_bytes, bytes(inode.m_tail_offset + chunk * sizeof(ChunkIndex), sizeof(ChunkIndex)));
            blkaddr = load<ChunkIndex>(index_bytes).blkaddr;
        } else {
            TRY(auto address_bytes, bytes(inode.m_tail_offset + chunk * sizeof(uint32_t), sizeof(uint32_t)));
            blkaddr = load<uint32_t>(address_bytes);
        }

        extent.length = chunk_end - offset;
        if (blkaddr == NULL_ADDR) {
            extent.hole = true;
            return extent;
        }
        uint64_t chunk_image = uint64_t{blkaddr} << BLOCK_SIZE_BITS;
        TRY_VOID(bytes(chunk_image, chunk_end - chunk_start));
        extent.image_offset = chunk_image + (offset - chunk_start);
        break;
    }
    default:
        return Errno::OPNOTSUPP;
    }

    TRY_VOID(bytes(extent.image_offset, extent.length));
    extent.block_aligned = ((extent.image_offset - extent.file_offset) & (BLOCK_SIZE - 1)) == 0;
    return extent;
}

Result<size_t> Erofs::read(const Inode& inode, uint64_t offset, std::span<uint8_t> out) const
{
    if (inode.is_directory())
        return Errno::ISDIR;
    if (!has_data(inode))
        return Errno::INVAL;
    if (offset >= inode.m_size || out.empty())
        return size_t{0};

    uint64_t total = min_u64(out.size(), inode.m_size - offset);
    uint64_t done = 0;
    while (done < total) {
        TRY(Extent extent, map(inode, offset + done));
        uint64_t chunk = min_u64(extent.length, total - done);
        if (extent.hole) {
            __builtin_memset(out.data() + done, 0, chunk);
        } else {
            TRY(auto source, bytes(extent.image_offset, chunk));
            __builtin_memcpy(out.data() + done, source.data(), chunk);
        }
        done += chunk;
    }
    return static_cast<size_t>(total);
}

Result<std::string_view> Erofs::symlink_target(const Inode& inode) const
{
    if (!inode.is_symlink())
        return Errno::INVAL;
    TRY(Extent extent, map(inode, 0));
    // Targets are shorter than a block, so every layout stores them in one piece.
    if (extent.hole || extent.length != inode.m_size)
        return Errno::UCLEAN;
    TRY(auto target, bytes(extent.image_offset, extent.length));
    return std::string_view(reinterpret_cast<const char*>(target.data()), target.size());
}

Result<size_t> Erofs::readlink(const Inode& inode, std::span<char> out) const
{
    TRY(std::string_view target, symlink_target(inode));
    size_t count = target.size() < out.size() ? target.size() : out.size();
    if (count != 0)
        __builtin_memcpy(out.data(), target.data(), count);
    return count;
}

// Validates the whole block up front (Linux erofs_readdir/erofs_find_target_block check
// the same things): the first nameoff gives the entry count, every nameoff must grow
// strictly and stay in the block, and every name is 1..NAME_LEN bytes.
Result<Erofs::DirBlock> Erofs::directory_block(const Inode& directory, uint64_t block) const
{
    uint64_t position = block << BLOCK_SIZE_BITS;
    if (block >= blocks_for(directory.m_size))
        return Errno::INVAL;
    uint64_t length = min_u64(BLOCK_SIZE, directory.m_size - position);

    TRY(Extent extent, map(directory, position));
    if (extent.hole || extent.length < length)
        return Errno::UCLEAN;
    TRY(auto data, bytes(extent.image_offset, length));

    DirBlock result;
    result.data = data;
    result.position = position;
    if (length < DIRENT_SIZE)
        return Errno::UCLEAN;
    uint32_t first_nameoff = result.entry(0).nameoff;
    if (first_nameoff < DIRENT_SIZE || first_nameoff % DIRENT_SIZE != 0 || first_nameoff >= length)
        return Errno::UCLEAN;
    result.count = static_cast<uint32_t>(first_nameoff / DIRENT_SIZE);

    uint32_t previous = first_nameoff;
    for (uint32_t i = 1; i < result.count; ++i) {
        uint32_t nameoff = result.entry(i).nameoff;
        if (nameoff <= previous || nameoff >= length || nameoff - previous > NAME_LEN)
            return Errno::UCLEAN;
        previous = nameoff;
    }
    // The last name runs to the end of the block or to the first NUL of the padding.
    uint32_t end = previous;
    while (end < length && data[end] != 0 && end - previous < NAME_LEN + 1)
        ++end;
    if (end == previous || end - previous > NAME_LEN)
        return Errno::UCLEAN;
    result.last_name_end = end;
    return result;
}

Result<Inode> Erofs::lookup(const Inode& directory, std::string_view name) const
{
    if (!directory.is_directory())
        return Errno::NOTDIR;
    if (name.empty())
        return Errno::NOENT;
    if (name.size() > NAME_LEN)
        return Errno::NAMETOOLONG;

    // Names are sorted across blocks too: bisect on each block's first and last name,
    // then within the block that may hold the name.
    uint64_t low = 0;
    uint64_t high = blocks_for(directory.m_size);
    while (low < high) {
        uint64_t middle = low + (high - low) / 2;
        TRY(DirBlock block, directory_block(directory, middle));
        if (compare_names(name, block.name(0)) < 0) {
            high = middle;
        } else if (compare_names(name, block.name(block.count - 1)) > 0) {
            low = middle + 1;
        } else {
            Nid nid = 0;
            if (!block.find(name, nid))
                return Errno::NOENT;
            return inode(nid);
        }
    }
    return Errno::NOENT;
}

Result<uint64_t> Erofs::read_directory(const Inode& directory, uint64_t cookie, DirVisitor visit) const
{
    if (!directory.is_directory())
        return Errno::NOTDIR;
    uint64_t size = directory.m_size;
    while (cookie < size) {
        uint64_t block_index = cookie >> BLOCK_SIZE_BITS;
        TRY(DirBlock block, directory_block(directory, block_index));
        uint64_t block_end = block.position + block.data.size();
        // A cookie inside a dirent (lseek to an arbitrary offset) rounds down to it.
        uint64_t first = (cookie - block.position) / DIRENT_SIZE;
        for (uint64_t i = first; i < block.count; ++i) {
            auto index = static_cast<uint32_t>(i);
            Dirent dirent = block.entry(index);
            DirEntry entry;
            entry.name = block.name(index);
            entry.nid = dirent.nid;
            entry.type = dirent.file_type < FT_MAX ? static_cast<FileType>(dirent.file_type) : FileType::Unknown;
            entry.cookie = block.position + i * DIRENT_SIZE;
            entry.next_cookie = i + 1 < block.count ? entry.cookie + DIRENT_SIZE : block_end;
            if (visit(entry) == IterationDecision::Break)
                return entry.cookie;
        }
        cookie = block_end;
    }
    return size;
}

}  // namespace kiln::erofs

#pragma once

// EROFS on-disk format, the subset this reader understands.
//
// Source: Linux Documentation/filesystems/erofs.rst and the format header shared by
// Linux (fs/erofs/erofs_fs.h) and erofs-utils (include/erofs_fs.h), as of erofs-utils
// 1.5. Everything on disk is little-endian. The structs below are never overlaid on
// the image: the reader copies each one out with a bounds-checked memcpy, so the image
// may be unaligned and nothing here depends on the host's alignment rules.

#include <bit>
#include <cstddef>
#include <cstdint>

namespace kiln::erofs::format {

static_assert(std::endian::native == std::endian::little,
              "EROFS is little-endian and the reader copies fields without swapping");

inline constexpr uint64_t SUPERBLOCK_OFFSET = 1024;
inline constexpr uint32_t SUPER_MAGIC_V1 = 0xE0F5E1E2;

// Only 4 KiB blocks: the kernel maps file data straight from the image with 4 KiB pages,
// and Debian's mkfs.erofs 1.5 writes nothing else.
inline constexpr uint8_t BLOCK_SIZE_BITS = 12;
inline constexpr uint64_t BLOCK_SIZE = uint64_t{1} << BLOCK_SIZE_BITS;

// Inode slots are 32 bytes: nid * 32 is an inode's offset in the metadata area.
inline constexpr uint8_t INODE_SLOT_BITS = 5;

// feature_compat: a reader may ignore these.
inline constexpr uint32_t FEATURE_COMPAT_SB_CHKSUM = 0x00000001;
inline constexpr uint32_t FEATURE_COMPAT_MTIME = 0x00000002;

// feature_incompat: a reader must refuse an image with a bit it does not understand.
inline constexpr uint32_t FEATURE_INCOMPAT_ZERO_PADDING = 0x00000001;  // compressed data only
inline constexpr uint32_t FEATURE_INCOMPAT_COMPR_CFGS = 0x00000002;
inline constexpr uint32_t FEATURE_INCOMPAT_CHUNKED_FILE = 0x00000004;
inline constexpr uint32_t FEATURE_INCOMPAT_DEVICE_TABLE = 0x00000008;
inline constexpr uint32_t FEATURE_INCOMPAT_ZTAILPACKING = 0x00000010;
inline constexpr uint32_t FEATURE_INCOMPAT_FRAGMENTS = 0x00000020;

// ZERO_PADDING only changes how compressed extents are laid out; images without
// compressed inodes are read the same way with or without it.
inline constexpr uint32_t SUPPORTED_FEATURE_INCOMPAT =
    FEATURE_INCOMPAT_ZERO_PADDING | FEATURE_INCOMPAT_CHUNKED_FILE;

struct SuperBlock {
    uint32_t magic;
    uint32_t checksum;  // crc32c of the superblock's block from SUPERBLOCK_OFFSET, this field zeroed
    uint32_t feature_compat;
    uint8_t blkszbits;
    uint8_t sb_extslots;  // superblock size = 128 + sb_extslots * 16
    uint16_t root_nid;
    uint64_t inos;  // number of valid inodes
    uint64_t build_time;  // the mtime of every compact inode
    uint32_t build_time_nsec;
    uint32_t blocks;
    uint32_t meta_blkaddr;  // first block of the inode (metadata) area
    uint32_t xattr_blkaddr;
    uint8_t uuid[16];
    uint8_t volume_name[16];
    uint32_t feature_incompat;
    uint16_t available_compr_algs;
    uint16_t extra_devices;
    uint16_t devt_slotoff;
    uint8_t reserved[38];
} __attribute__((packed));
static_assert(sizeof(SuperBlock) == 128);
static_assert(offsetof(SuperBlock, root_nid) == 14);
static_assert(offsetof(SuperBlock, meta_blkaddr) == 40);
static_assert(offsetof(SuperBlock, feature_incompat) == 80);

// i_format: bit 0 is the inode version (compact/extended), bits 1..3 the data layout.
inline constexpr uint16_t I_VERSION_MASK = 0x1;
inline constexpr uint16_t I_DATALAYOUT_SHIFT = 1;
inline constexpr uint16_t I_DATALAYOUT_MASK = 0x7;
inline constexpr uint16_t I_ALL = 0xF;  // any other bit set is a format we do not know

inline constexpr uint16_t INODE_LAYOUT_COMPACT = 0;
inline constexpr uint16_t INODE_LAYOUT_EXTENDED = 1;

enum class DataLayout : uint8_t {
    FlatPlain = 0,  // data in consecutive blocks from raw_blkaddr
    CompressedLegacy = 1,
    FlatInline = 2,  // like FlatPlain, but the last partial block follows the inode
    Compressed = 3,
    ChunkBased = 4,  // an array of chunk addresses follows the inode
};

// Both inode forms share a 16-bit word for i_u: raw_blkaddr, rdev or chunk format.
struct InodeCompact {
    uint16_t i_format;
    uint16_t i_xattr_icount;
    uint16_t i_mode;
    uint16_t i_nlink;
    uint32_t i_size;
    uint32_t i_reserved;
    uint32_t i_u;
    uint32_t i_ino;  // for 32-bit stat only
    uint16_t i_uid;
    uint16_t i_gid;
    uint32_t i_reserved2;
} __attribute__((packed));
static_assert(sizeof(InodeCompact) == 32);
static_assert(offsetof(InodeCompact, i_u) == 16);

struct InodeExtended {
    uint16_t i_format;
    uint16_t i_xattr_icount;
    uint16_t i_mode;
    uint16_t i_reserved;
    uint64_t i_size;
    uint32_t i_u;
    uint32_t i_ino;
    uint32_t i_uid;
    uint32_t i_gid;
    uint64_t i_mtime;  // called i_ctime before FEATURE_COMPAT_MTIME; mkfs stores mtime either way
    uint32_t i_mtime_nsec;
    uint32_t i_nlink;
    uint8_t i_reserved2[16];
} __attribute__((packed));
static_assert(sizeof(InodeExtended) == 64);
static_assert(offsetof(InodeExtended, i_u) == 16);
static_assert(offsetof(InodeExtended, i_mtime) == 32);

// Inline xattrs follow the inode: a 12-byte header, then (icount - 1) 4-byte units.
inline constexpr uint64_t XATTR_IBODY_HEADER_SIZE = 12;
inline constexpr uint64_t xattr_ibody_size(uint16_t icount)
{
    return icount == 0 ? 0 : XATTR_IBODY_HEADER_SIZE + 4 * (uint64_t{icount} - 1);
}

// Chunk-based inodes: i_u holds the chunk format. Chunk size = block size << blkbits.
inline constexpr uint16_t CHUNK_FORMAT_BLKBITS_MASK = 0x001F;
inline constexpr uint16_t CHUNK_FORMAT_INDEXES = 0x0020;  // 8-byte indexes, else 4-byte blkaddrs
inline constexpr uint16_t CHUNK_FORMAT_ALL = CHUNK_FORMAT_BLKBITS_MASK | CHUNK_FORMAT_INDEXES;
inline constexpr uint32_t NULL_ADDR = 0xFFFFFFFF;  // a chunk that is a hole

struct ChunkIndex {
    uint16_t advise;
    uint16_t device_id;  // always the primary device: DEVICE_TABLE images are refused
    uint32_t blkaddr;
} __attribute__((packed));
static_assert(sizeof(ChunkIndex) == 8);

// A directory block starts with an array of dirents; the first one's nameoff / 12 is
// the number of entries in the block. Names are not NUL-terminated: each ends where the
// next begins, the last at the end of the block or at a NUL padding byte. Names are
// sorted (memcmp order) within a block and across blocks, so lookup can bisect.
struct Dirent {
    uint64_t nid;
    uint16_t nameoff;  // offset of the name from the start of this block
    uint8_t file_type;
    uint8_t reserved;
} __attribute__((packed));
static_assert(sizeof(Dirent) == 12);

inline constexpr uint8_t FT_UNKNOWN = 0;
inline constexpr uint8_t FT_MAX = 8;

inline constexpr uint64_t NAME_LEN = 255;

// The S_IF* file type bits as Linux stores them in i_mode, renamed because the host
// headers define S_IF* as macros.
inline constexpr uint16_t MODE_IFMT = 0170000;
inline constexpr uint16_t MODE_IFSOCK = 0140000;
inline constexpr uint16_t MODE_IFLNK = 0120000;
inline constexpr uint16_t MODE_IFREG = 0100000;
inline constexpr uint16_t MODE_IFBLK = 0060000;
inline constexpr uint16_t MODE_IFDIR = 0040000;
inline constexpr uint16_t MODE_IFCHR = 0020000;
inline constexpr uint16_t MODE_IFIFO = 0010000;

}  // namespace kiln::erofs::format

#pragma once

// Read-only EROFS reader over an image held in memory (the initrd). Portable: no heap,
// no exceptions, no hardware; compiled into the kernel and into the host unit tests.
// See README.md in this folder for the invariants and limits.
//
//   TRY(Erofs fs, Erofs::try_open(image));
//   TRY(Inode exe, fs.resolve("/kiln/bin/kiln-runtime", FollowLinks::Yes));
//   TRY(size_t n, fs.read(exe, 0, buffer));
//
// Every method is const and reentrant: an Erofs is a view over an immutable image and
// holds no locks or caches. Inode is a small decoded copy of an on-disk inode.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "fs/erofs/erofs_format.h"
#include "lib/result.h"

namespace kiln::erofs {

using Nid = uint64_t;

// Linux's limits: a path (with its NUL) fits in PATH_MAX (4096), 40 symlinks per resolution.
inline constexpr size_t MAX_PATH_LENGTH = 4096;
inline constexpr unsigned MAX_SYMLINK_FOLLOWS = 40;

enum class FileType : uint8_t {
    Unknown = 0,
    Regular = 1,
    Directory = 2,
    CharDevice = 3,
    BlockDevice = 4,
    Fifo = 5,
    Socket = 6,
    Symlink = 7,
};

enum class FollowLinks : uint8_t { No, Yes };

class Inode {
public:
    Inode() = default;

    Nid nid() const { return m_nid; }
    // st_ino: Linux reports the nid on 64-bit hosts.
    uint64_t ino() const { return m_nid; }
    FileType type() const { return m_type; }
    bool is_directory() const { return m_type == FileType::Directory; }
    bool is_regular() const { return m_type == FileType::Regular; }
    bool is_symlink() const { return m_type == FileType::Symlink; }
    uint16_t mode() const { return m_mode; }  // includes the S_IFMT type bits
    uint32_t uid() const { return m_uid; }
    uint32_t gid() const { return m_gid; }
    uint32_t nlink() const { return m_nlink; }
    uint64_t size() const { return m_size; }
    uint64_t mtime_sec() const { return m_mtime_sec; }
    uint32_t mtime_nsec() const { return m_mtime_nsec; }
    uint32_t rdev() const { return m_rdev; }  // devices only, Linux new_encode_dev() form
    bool is_extended() const { return m_extended; }
    format::DataLayout layout() const { return m_layout; }

private:
    friend class Erofs;

    Nid m_nid = 0;
    FileType m_type = FileType::Unknown;
    format::DataLayout m_layout = format::DataLayout::FlatPlain;
    bool m_extended = false;
    uint16_t m_mode = 0;
    uint16_t m_chunk_format = 0;
    uint32_t m_uid = 0;
    uint32_t m_gid = 0;
    uint32_t m_nlink = 0;
    uint32_t m_rdev = 0;
    uint32_t m_raw_blkaddr = 0;
    uint64_t m_size = 0;
    uint64_t m_mtime_sec = 0;
    uint32_t m_mtime_nsec = 0;
    // Image offset just past the inode and its inline xattrs: where an inline tail or a
    // chunk index array starts.
    uint64_t m_tail_offset = 0;
};

// Where file bytes [file_offset, file_offset + length) live. Answers "can this range be
// mapped from the image without copying": it can when !hole, block_aligned, and the
// range the caller wants lies within length.
struct Extent {
    uint64_t file_offset = 0;
    uint64_t length = 0;  // > 0; contiguous in the image, never past end of file
    uint64_t image_offset = 0;  // meaningless for holes
    bool hole = false;  // reads as zeros (chunk-based sparse files)
    // image_offset and file_offset are congruent modulo the 4 KiB block size: true for
    // whole blocks, false for inline tails packed after their inode.
    bool block_aligned = false;
};

struct DirEntry {
    std::string_view name;  // points into the image; 1..255 bytes, no '/' check
    Nid nid = 0;
    FileType type = FileType::Unknown;  // from the dirent, as getdents64 reports it
    uint64_t cookie = 0;  // position of this entry
    uint64_t next_cookie = 0;  // position to resume after it (getdents64 d_off)
};

enum class IterationDecision : uint8_t { Continue, Break };

// A non-owning reference to a callable `IterationDecision(const DirEntry&)`, so the
// directory walker is not a template. Lives only for the call it is passed to.
class DirVisitor {
public:
    template <typename F>
        requires(!std::is_same_v<std::remove_cvref_t<F>, DirVisitor>)
    DirVisitor(F&& f)  // NOLINT(google-explicit-constructor): meant to wrap lambdas
        : m_context(const_cast<void*>(static_cast<const void*>(&f)))
        , m_call([](void* context, const DirEntry& entry) {
            return (*static_cast<std::remove_reference_t<F>*>(context))(entry);
        })
    {
    }

    IterationDecision operator()(const DirEntry& entry) const { return m_call(m_context, entry); }

private:
    void* m_context;
    IterationDecision (*m_call)(void*, const DirEntry&);
};

class Erofs {
public:
    // An empty filesystem that fails every call; only exists so Result<Erofs> can hold
    // an error. Use try_open.
    Erofs() = default;

    // Validates the superblock (magic, block size, features, checksum) and the root
    // directory. The image must outlive the Erofs and every view it hands out.
    // EINVAL: not EROFS or unsupported block size; EOPNOTSUPP: an incompat feature
    // this reader lacks (compression, extra devices...); EUCLEAN: corrupt.
    static Result<Erofs> try_open(std::span<const uint8_t> image);

    Nid root_nid() const { return m_root_nid; }
    uint64_t inode_count() const { return m_inode_count; }
    uint32_t block_size() const { return format::BLOCK_SIZE; }
    std::span<const uint8_t> image() const { return m_image; }

    Result<Inode> root() const { return inode(m_root_nid); }
    // Decodes and validates one inode: EUCLEAN if it is out of bounds or inconsistent,
    // EOPNOTSUPP for compressed or unknown layouts.
    Result<Inode> inode(Nid nid) const;

    // One component, no '/': ENOTDIR, ENOENT, ENAMETOOLONG. "." and ".." are ordinary
    // entries in EROFS directories (the root's ".." is itself).
    Result<Inode> lookup(const Inode& directory, std::string_view name) const;

    // A whole path, Linux rules: absolute paths start at the root, relative ones at
    // `start`; intermediate symlinks are always followed, the final one when asked or
    // when the path ends in '/'. ELOOP after MAX_SYMLINK_FOLLOWS symlinks.
    Result<Inode> resolve(std::string_view path, FollowLinks follow) const;
    Result<Inode> resolve_at(const Inode& start, std::string_view path, FollowLinks follow) const;

    // Regular files and symlinks: copies up to out.size() bytes from offset, returns the
    // count (0 at or past end of file). EISDIR for directories, EINVAL for devices.
    Result<size_t> read(const Inode& inode, uint64_t offset, std::span<uint8_t> out) const;

    // The symlink target as a view into the image (no copy). EINVAL if not a symlink.
    Result<std::string_view> symlink_target(const Inode& inode) const;
    // readlink(2): copies the target, truncated to out.size(), no NUL; returns the count.
    Result<size_t> readlink(const Inode& inode, std::span<char> out) const;

    // The contiguous extent holding file byte `offset` (which must be < size: EINVAL).
    Result<Extent> map(const Inode& inode, uint64_t offset) const;

    // Calls `visit` for each entry from `cookie` (0 = start; otherwise a cookie or
    // next_cookie from an earlier entry) until it returns Break or the directory ends.
    // Returns where to resume: the entry visit broke on, or size() at the end.
    Result<uint64_t> read_directory(const Inode& directory, uint64_t cookie, DirVisitor visit) const;

private:
    struct DirBlock;

    Result<std::span<const uint8_t>> bytes(uint64_t offset, uint64_t length) const;
    Result<Inode> check_data_layout(Inode inode) const;
    Result<DirBlock> directory_block(const Inode& directory, uint64_t block) const;

    std::span<const uint8_t> m_image;
    uint64_t m_meta_offset = 0;
    uint64_t m_inode_count = 0;
    uint64_t m_build_time = 0;
    uint32_t m_build_time_nsec = 0;
    Nid m_root_nid = 0;
};

}  // namespace kiln::erofs

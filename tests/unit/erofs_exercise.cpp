#include "erofs_exercise.h"

#include <array>

#include "fs/erofs/erofs.h"

namespace kiln::erofs::testing {

namespace {

// Bounds that keep a corrupt image (directory cycles, huge sizes) from turning the walk
// into an endless or enormous one.
constexpr unsigned MAX_DEPTH = 12;
constexpr size_t MAX_ENTRIES = 4000;
constexpr uint64_t MAX_BYTES_PER_FILE = 1 << 20;

class Walker {
public:
    explicit Walker(const Erofs& fs) : m_fs(fs) {}

    size_t successes() const { return m_successes; }

    void visit_inode(const Inode& inode, unsigned depth)
    {
        if (inode.is_regular() || inode.is_symlink())
            visit_data(inode);
        if (inode.is_symlink()) {
            std::array<char, 64> small {};
            count(m_fs.readlink(inode, small));
            count(m_fs.symlink_target(inode));
        }
        if (inode.is_directory() && depth < MAX_DEPTH)
            visit_directory(inode, depth);
    }

private:
    template <typename T>
    bool count(const Result<T>& result)
    {
        if (result)
            ++m_successes;
        return static_cast<bool>(result);
    }

    void visit_data(const Inode& inode)
    {
        std::array<uint8_t, 8192> buffer;
        uint64_t limit = inode.size() < MAX_BYTES_PER_FILE ? inode.size() : MAX_BYTES_PER_FILE;
        for (uint64_t offset = 0; offset < limit; offset += buffer.size()) {
            auto n = m_fs.read(inode, offset, buffer);
            if (!count(n) || *n == 0)
                break;
        }
        // Odd offsets and the very end, where block and tail boundaries meet.
        if (inode.size() != 0) {
            count(m_fs.map(inode, 0));
            count(m_fs.map(inode, inode.size() - 1));
            count(m_fs.read(inode, inode.size() - 1, std::span(buffer).first(1)));
        }
        count(m_fs.map(inode, inode.size()));
    }

    void visit_directory(const Inode& directory, unsigned depth)
    {
        uint64_t cookie = 0;
        // Small batches exercise cookie resumption as getdents64 would.
        for (int batch = 0; batch < 1000 && m_entries < MAX_ENTRIES; ++batch) {
            std::array<DirEntry, 7> entries;
            size_t got = 0;
            auto next = m_fs.read_directory(directory, cookie, [&](const DirEntry& entry) {
                if (got == entries.size())
                    return IterationDecision::Break;
                entries[got++] = entry;
                return IterationDecision::Continue;
            });
            if (!count(next))
                return;
            for (size_t i = 0; i < got && m_entries < MAX_ENTRIES; ++i) {
                ++m_entries;
                const DirEntry& entry = entries[i];
                count(m_fs.lookup(directory, entry.name));
                bool dot = entry.name == "." || entry.name == "..";
                auto child = m_fs.inode(entry.nid);
                if (count(child) && !dot)
                    visit_inode(*child, depth + 1);
            }
            if (*next <= cookie || *next >= directory.size())
                return;
            cookie = *next;
        }
    }

    const Erofs& m_fs;
    size_t m_successes = 0;
    size_t m_entries = 0;
};

uint32_t crc32c_raw(uint32_t crc, const uint8_t* data, size_t length)
{
    for (size_t i = 0; i < length; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return crc;
}

}  // namespace

void fix_superblock_checksum(std::span<uint8_t> image)
{
    constexpr size_t superblock = 1024;
    constexpr size_t checksum_at = superblock + 4;
    if (image.size() < 4096)
        return;
    for (size_t i = 0; i < 4; ++i)
        image[checksum_at + i] = 0;
    uint32_t crc = crc32c_raw(~0u, image.data() + superblock, 4096 - superblock);
    for (size_t i = 0; i < 4; ++i)
        image[checksum_at + i] = static_cast<uint8_t>(crc >> (8 * i));
}

size_t exercise_image(std::span<const uint8_t> image)
{
    auto fs = Erofs::try_open(image);
    if (!fs)
        return 0;
    Walker walker(*fs);
    auto root = fs->root();
    if (root)
        walker.visit_inode(*root, 0);
    size_t successes = walker.successes();
    const char* paths[] = {"/", "/sizes/f4097", "/link_dir/b/c/deep.txt", "/loop1", "/nested/a/../a/./b/", "link_abs"};
    for (const char* path : paths) {
        successes += static_cast<bool>(fs->resolve(path, FollowLinks::Yes));
        successes += static_cast<bool>(fs->resolve(path, FollowLinks::No));
    }
    return successes;
}

}  // namespace kiln::erofs::testing

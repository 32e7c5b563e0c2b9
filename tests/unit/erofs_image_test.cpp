// The EROFS reader against real images from Debian's mkfs.erofs (erofs-utils 1.5), in
// every uncompressed layout it writes, checked against the host tree they came from.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "erofs_fixture.h"
#include "fs/erofs/erofs.h"

namespace kiln::erofs {
namespace {

namespace fs = std::filesystem;
using testing::fixture_tree;
using testing::make_image;

struct ImageConfig {
    const char* name;
    const char* options;
    enum class Inodes { Any, Compact, Extended } inodes;
    uint32_t forced_uid;  // 0: the host's
    uint32_t forced_gid;
};

const ImageConfig CONFIGS[] = {
    {"Default", "", ImageConfig::Inodes::Any, 0, 0},
    {"NoInlineData", "-Enoinline_data", ImageConfig::Inodes::Any, 0, 0},
    {"CompactInodes", "-Eforce-inode-compact", ImageConfig::Inodes::Compact, 0, 0},
    {"ExtendedInodes", "-Eforce-inode-extended", ImageConfig::Inodes::Extended, 0, 0},
    {"LargeIds", "--force-uid=70000 --force-gid=70001", ImageConfig::Inodes::Extended, 70000, 70001},
    {"Chunked", "--chunksize=8192", ImageConfig::Inodes::Any, 0, 0},
    {"ChunkedNoInline", "--chunksize=65536 -Enoinline_data", ImageConfig::Inodes::Any, 0, 0},
};

// Images are built once per configuration and shared by the tests that use them.
const std::vector<uint8_t>& image_for(const ImageConfig& config)
{
    static std::map<std::string, std::vector<uint8_t>> cache;
    auto it = cache.find(config.name);
    if (it == cache.end())
        it = cache.emplace(config.name, make_image(fixture_tree(), config.options)).first;
    return it->second;
}

std::vector<uint8_t> read_host_file(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

FileType host_type(mode_t mode)
{
    if (S_ISREG(mode)) return FileType::Regular;
    if (S_ISDIR(mode)) return FileType::Directory;
    if (S_ISLNK(mode)) return FileType::Symlink;
    if (S_ISFIFO(mode)) return FileType::Fifo;
    if (S_ISCHR(mode)) return FileType::CharDevice;
    if (S_ISBLK(mode)) return FileType::BlockDevice;
    return FileType::Socket;
}

std::vector<DirEntry> list(const Erofs& fs, const Inode& dir)
{
    std::vector<DirEntry> entries;
    auto end = fs.read_directory(dir, 0, [&](const DirEntry& e) {
        entries.push_back(e);
        return IterationDecision::Continue;
    });
    EXPECT_TRUE(end) << errno_name(end.error());
    if (end) {
        EXPECT_EQ(*end, dir.size());
    }
    return entries;
}

class ErofsImage : public ::testing::TestWithParam<ImageConfig> {
protected:
    void SetUp() override
    {
        const auto& image = image_for(GetParam());
        ASSERT_FALSE(image.empty());
        auto opened = Erofs::try_open(image);
        ASSERT_TRUE(opened) << errno_name(opened.error());
        m_fs = *opened;
    }

    Inode resolve(std::string_view path, FollowLinks follow = FollowLinks::Yes)
    {
        auto inode = m_fs.resolve(path, follow);
        EXPECT_TRUE(inode) << path << ": " << errno_name(inode.error());
        return inode ? *inode : Inode {};
    }

    Errno resolve_error(std::string_view path, FollowLinks follow = FollowLinks::Yes)
    {
        auto inode = m_fs.resolve(path, follow);
        return inode ? Errno {} : inode.error();
    }

    std::vector<uint8_t> read_all(const Inode& inode, size_t chunk)
    {
        std::vector<uint8_t> data;
        std::vector<uint8_t> buffer(chunk);
        for (;;) {
            auto n = m_fs.read(inode, data.size(), buffer);
            EXPECT_TRUE(n);
            if (!n || *n == 0)
                break;
            data.insert(data.end(), buffer.begin(), buffer.begin() + static_cast<long>(*n));
        }
        return data;
    }

    // Compares one inode with the host file it came from, and recurses into directories.
    void compare(const Inode& inode, const fs::path& host, Nid parent, std::set<Nid>& seen)
    {
        SCOPED_TRACE(host.string());
        struct stat st;
        ASSERT_EQ(lstat(host.c_str(), &st), 0);
        const ImageConfig& config = GetParam();

        EXPECT_EQ(inode.type(), host_type(st.st_mode));
        EXPECT_EQ(inode.mode(), st.st_mode & 0177777);
        EXPECT_EQ(inode.uid(), config.forced_uid ? config.forced_uid : st.st_uid);
        EXPECT_EQ(inode.gid(), config.forced_gid ? config.forced_gid : st.st_gid);
        EXPECT_EQ(inode.nlink(), st.st_nlink);
        if (config.inodes == ImageConfig::Inodes::Compact) {
            EXPECT_FALSE(inode.is_extended());
        }
        if (config.inodes == ImageConfig::Inodes::Extended) {
            EXPECT_TRUE(inode.is_extended());
        }
        if (inode.is_extended()) {
            EXPECT_EQ(inode.mtime_sec(), static_cast<uint64_t>(st.st_mtim.tv_sec));
            EXPECT_EQ(inode.mtime_nsec(), static_cast<uint32_t>(st.st_mtim.tv_nsec));
        }
        seen.insert(inode.nid());

        if (inode.is_regular()) {
            EXPECT_EQ(inode.size(), static_cast<uint64_t>(st.st_size));
            auto expected = read_host_file(host);
            for (size_t chunk : {size_t {1} << 20, size_t {4096}, size_t {1000}, size_t {1}}) {
                if (chunk == 1 && expected.size() > 10000)
                    continue;
                EXPECT_TRUE(read_all(inode, chunk) == expected) << "chunk " << chunk;
            }
            check_extents(inode, expected);
        } else if (inode.is_symlink()) {
            std::string target = fs::read_symlink(host).string();
            auto view = m_fs.symlink_target(inode);
            ASSERT_TRUE(view);
            EXPECT_EQ(*view, target);
            std::vector<char> buffer(target.size() + 10);
            auto n = m_fs.readlink(inode, buffer);
            ASSERT_TRUE(n);
            EXPECT_EQ(std::string(buffer.data(), *n), target);
        } else if (inode.is_directory()) {
            compare_directory(inode, host, parent, seen);
        } else {
            std::array<uint8_t, 4> buffer;
            auto r = m_fs.read(inode, 0, buffer);
            ASSERT_FALSE(r);
            EXPECT_EQ(r.error(), Errno::INVAL);
        }
    }

    void compare_directory(const Inode& dir, const fs::path& host, Nid parent, std::set<Nid>& seen)
    {
        std::set<std::string> host_names;
        for (const auto& entry : fs::directory_iterator(host))
            host_names.insert(entry.path().filename().string());

        auto entries = list(m_fs, dir);
        std::set<std::string> names;
        std::string previous;
        for (const auto& entry : entries) {
            std::string name(entry.name);
            EXPECT_LT(previous, name) << "entries not sorted";
            previous = name;
            if (name == ".") {
                EXPECT_EQ(entry.nid, dir.nid());
                continue;
            }
            if (name == "..") {
                EXPECT_EQ(entry.nid, parent);
                continue;
            }
            names.insert(name);
            auto by_name = m_fs.lookup(dir, entry.name);
            ASSERT_TRUE(by_name) << name;
            EXPECT_EQ(by_name->nid(), entry.nid);
            EXPECT_EQ(by_name->type(), entry.type);
            compare(*by_name, host / name, dir.nid(), seen);
        }
        EXPECT_EQ(names, host_names);
    }

    // map() must describe where each byte lives; FLAT_PLAIN data must be one aligned
    // extent (the kernel maps ELF segments from it).
    void check_extents(const Inode& inode, const std::vector<uint8_t>& expected)
    {
        auto image = m_fs.image();
        uint64_t offset = 0;
        while (offset < inode.size()) {
            auto extent = m_fs.map(inode, offset);
            ASSERT_TRUE(extent) << offset;
            ASSERT_EQ(extent->file_offset, offset);
            ASSERT_GT(extent->length, 0u);
            ASSERT_LE(offset + extent->length, inode.size());
            for (uint64_t i = 0; i < extent->length; i += 997) {
                uint8_t byte = extent->hole ? 0 : image[extent->image_offset + i];
                ASSERT_EQ(byte, expected[offset + i]) << offset + i;
            }
            if (!extent->hole) {
                ASSERT_EQ(image[extent->image_offset + extent->length - 1], expected[offset + extent->length - 1]);
            }
            if (inode.layout() == format::DataLayout::FlatPlain) {
                EXPECT_EQ(offset, 0u);
                EXPECT_EQ(extent->length, inode.size());
                EXPECT_TRUE(extent->block_aligned);
            }
            if (extent->block_aligned && !extent->hole) {
                EXPECT_EQ(extent->image_offset % 4096, offset % 4096);
            }
            offset += extent->length;
        }
        EXPECT_FALSE(m_fs.map(inode, inode.size()));
    }

    Erofs m_fs;
};

TEST_P(ErofsImage, TreeMatchesHost)
{
    auto root = m_fs.root();
    ASSERT_TRUE(root);
    EXPECT_EQ(root->nid(), m_fs.root_nid());
    std::set<Nid> seen;
    compare(*root, fixture_tree(), root->nid(), seen);
    // Hard links share an inode, so there are fewer nids than paths.
    EXPECT_EQ(resolve("/sizes/f4096").nid(), resolve("/sizes/hard4096").nid());
    EXPECT_EQ(seen.size(), m_fs.inode_count());
}

TEST_P(ErofsImage, LookupInMultiBlockDirectory)
{
    Inode many = resolve("/many");
    ASSERT_GT(many.size(), 2 * 4096u) << "fixture should span several blocks";
    for (int i = 0; i < 300; ++i) {
        char name[32];
        std::snprintf(name, sizeof(name), "entry_%04d_padding_x", i);
        auto inode = m_fs.lookup(many, name);
        ASSERT_TRUE(inode) << name;
        EXPECT_EQ(inode->is_directory(), i % 10 == 0);
    }
    // Names before, between and after every entry, and prefixes of them.
    for (const char* absent : {"", "!", "entry_", "entry_0000", "entry_0150_padding_", "entry_0150_padding_xx",
                               "entry_0299_padding_y", "zzz", "entry_1000_padding_x"}) {
        auto inode = m_fs.lookup(many, absent);
        ASSERT_FALSE(inode) << absent;
        EXPECT_EQ(inode.error(), Errno::NOENT) << absent;
    }
    auto too_long = m_fs.lookup(many, std::string(256, 'a'));
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error(), Errno::NAMETOOLONG);
}

TEST_P(ErofsImage, DirectoryCookiesResume)
{
    Inode many = resolve("/many");
    auto all = list(m_fs, many);
    ASSERT_EQ(all.size(), 302u);
    for (size_t batch : {1, 7, 100}) {
        std::vector<std::string> names;
        uint64_t cookie = 0;
        while (cookie < many.size()) {
            size_t got = 0;
            auto next = m_fs.read_directory(many, cookie, [&](const DirEntry& e) {
                if (got == batch)
                    return IterationDecision::Break;
                ++got;
                names.emplace_back(e.name);
                return IterationDecision::Continue;
            });
            ASSERT_TRUE(next);
            ASSERT_GT(*next, cookie);
            cookie = *next;
        }
        ASSERT_EQ(names.size(), all.size()) << batch;
        for (size_t i = 0; i < all.size(); ++i)
            EXPECT_EQ(names[i], all[i].name);
    }
    // Every next_cookie resumes at the following entry, as getdents64's d_off must.
    for (size_t i = 0; i + 1 < all.size(); ++i) {
        std::string first;
        auto r = m_fs.read_directory(many, all[i].next_cookie, [&](const DirEntry& e) {
            first = e.name;
            return IterationDecision::Break;
        });
        ASSERT_TRUE(r);
        EXPECT_EQ(first, all[i + 1].name);
        EXPECT_EQ(all[i + 1].cookie, all[i].next_cookie);
    }
    EXPECT_EQ(all.back().next_cookie, many.size());
    // A cookie in the middle of a dirent rounds down to it; past the end, nothing.
    std::string first;
    ASSERT_TRUE(m_fs.read_directory(many, all[5].cookie + 3, [&](const DirEntry& e) {
        first = e.name;
        return IterationDecision::Break;
    }));
    EXPECT_EQ(first, all[5].name);
    auto past = m_fs.read_directory(many, many.size() + 100, [](const DirEntry&) { return IterationDecision::Continue; });
    ASSERT_TRUE(past);
    EXPECT_EQ(*past, many.size());
}

TEST_P(ErofsImage, PathResolution)
{
    Inode root = resolve("/");
    EXPECT_EQ(root.nid(), m_fs.root_nid());
    EXPECT_EQ(resolve("//").nid(), root.nid());
    EXPECT_EQ(resolve("/..").nid(), root.nid());
    EXPECT_EQ(resolve("/../../..").nid(), root.nid());
    EXPECT_EQ(resolve(".").nid(), root.nid());

    Inode deep = resolve("/nested/a/b/c/deep.txt");
    EXPECT_EQ(deep.size(), 123u);
    EXPECT_EQ(resolve("nested//a/./b/../b/c/deep.txt").nid(), deep.nid());
    EXPECT_EQ(resolve("/link_dir/b/c/deep.txt").nid(), deep.nid());
    EXPECT_EQ(resolve("/link_dir_abs/c/deep.txt").nid(), deep.nid());
    EXPECT_EQ(resolve("/link_dir/b/c/../../b/c/deep.txt").nid(), deep.nid());

    Inode a = resolve("/nested/a");
    auto relative = m_fs.resolve_at(a, "b/c/deep.txt", FollowLinks::Yes);
    ASSERT_TRUE(relative);
    EXPECT_EQ(relative->nid(), deep.nid());
    auto absolute_from_a = m_fs.resolve_at(a, "/sizes/f1", FollowLinks::Yes);
    ASSERT_TRUE(absolute_from_a);
    EXPECT_EQ(absolute_from_a->nid(), resolve("/sizes/f1").nid());
    auto from_file = m_fs.resolve_at(deep, "x", FollowLinks::Yes);
    ASSERT_FALSE(from_file);
    EXPECT_EQ(from_file.error(), Errno::NOTDIR);

    // Final symlinks: followed on request, or when a '/' follows them.
    EXPECT_EQ(resolve("/link_rel").nid(), resolve("/sizes/f4097").nid());
    EXPECT_TRUE(resolve("/link_rel", FollowLinks::No).is_symlink());
    EXPECT_EQ(resolve("/link_abs").nid(), resolve("/sizes/f100000").nid());
    EXPECT_EQ(resolve("/nested/a/up").nid(), resolve("/sizes/f1").nid());
    EXPECT_TRUE(resolve("/link_dir", FollowLinks::No).is_symlink());
    EXPECT_TRUE(resolve("/link_dir/", FollowLinks::No).is_directory());
    EXPECT_EQ(resolve("/link_dir/", FollowLinks::No).nid(), a.nid());
    EXPECT_TRUE(resolve("/dangling", FollowLinks::No).is_symlink());
    EXPECT_TRUE(resolve("/loop1", FollowLinks::No).is_symlink());

    // 40 symlinks are allowed, the 41st is ELOOP, as on Linux.
    EXPECT_EQ(resolve("/chain/l00").nid(), resolve("/chain/end").nid());
    EXPECT_EQ(resolve_error("/chain/extra"), Errno::LOOP);
    EXPECT_TRUE(resolve("/chain/extra", FollowLinks::No).is_symlink());
    EXPECT_EQ(resolve_error("/loop1"), Errno::LOOP);
    EXPECT_EQ(resolve_error("/loop1", FollowLinks::No), Errno {});
    EXPECT_EQ(resolve_error("/loop1/x", FollowLinks::No), Errno::LOOP);
    EXPECT_EQ(resolve_error("/self"), Errno::LOOP);

    EXPECT_EQ(resolve_error(""), Errno::NOENT);
    EXPECT_EQ(resolve_error("/missing"), Errno::NOENT);
    EXPECT_EQ(resolve_error("/missing/x"), Errno::NOENT);
    EXPECT_EQ(resolve_error("/dangling"), Errno::NOENT);
    EXPECT_EQ(resolve_error("/sizes/f1/"), Errno::NOTDIR);
    EXPECT_EQ(resolve_error("/sizes/f1/x"), Errno::NOTDIR);
    EXPECT_EQ(resolve_error("/sizes/f1/."), Errno::NOTDIR);
    EXPECT_EQ(resolve_error("/link_rel/"), Errno::NOTDIR);
    EXPECT_EQ(resolve_error("/link_rel/", FollowLinks::No), Errno::NOTDIR);
    EXPECT_EQ(resolve_error("/file_with_slash"), Errno::NOTDIR);
    EXPECT_EQ(resolve_error("/long_target"), Errno::NAMETOOLONG);
    EXPECT_EQ(resolve_error("/" + std::string(256, 'n')), Errno::NAMETOOLONG);
    EXPECT_EQ(resolve_error(std::string(4096, '/')), Errno::NAMETOOLONG);
    EXPECT_EQ(resolve("/longname/" + std::string(254, 'n')).size(), 42u);
    EXPECT_EQ(resolve("/longname/" + std::string(253, 'n')).size(), 43u);
    EXPECT_EQ(resolve_error("/longname/" + std::string(255, 'n')), Errno::NOENT);
}

TEST_P(ErofsImage, ReadEdgeCases)
{
    Inode file = resolve("/sizes/f4097");
    auto expected = read_host_file(fixture_tree() / "sizes" / "f4097");
    std::array<uint8_t, 16> buffer;
    // Across the block boundary, where an inline tail begins.
    auto n = m_fs.read(file, 4090, buffer);
    ASSERT_TRUE(n);
    ASSERT_EQ(*n, 7u);
    EXPECT_TRUE(std::equal(buffer.begin(), buffer.begin() + 7, expected.begin() + 4090));
    n = m_fs.read(file, 4097, buffer);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);
    n = m_fs.read(file, UINT64_MAX, buffer);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);
    n = m_fs.read(file, 0, std::span<uint8_t> {});
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0u);

    auto dir = m_fs.read(resolve("/nested"), 0, buffer);
    ASSERT_FALSE(dir);
    EXPECT_EQ(dir.error(), Errno::ISDIR);
    auto not_dir = m_fs.read_directory(file, 0, [](const DirEntry&) { return IterationDecision::Continue; });
    ASSERT_FALSE(not_dir);
    EXPECT_EQ(not_dir.error(), Errno::NOTDIR);
    auto lookup_in_file = m_fs.lookup(file, "x");
    ASSERT_FALSE(lookup_in_file);
    EXPECT_EQ(lookup_in_file.error(), Errno::NOTDIR);
    auto not_link = m_fs.readlink(file, std::span<char> {});
    ASSERT_FALSE(not_link);
    EXPECT_EQ(not_link.error(), Errno::INVAL);

    // readlink truncates like readlink(2).
    std::array<char, 3> small;
    auto truncated = m_fs.readlink(resolve("/link_rel", FollowLinks::No), small);
    ASSERT_TRUE(truncated);
    EXPECT_EQ(std::string_view(small.data(), *truncated), "siz");

    Inode empty = resolve("/sizes/f0");
    EXPECT_EQ(empty.size(), 0u);
    auto map_empty = m_fs.map(empty, 0);
    ASSERT_FALSE(map_empty);
    EXPECT_EQ(map_empty.error(), Errno::INVAL);

    Inode exec = resolve("/exec.sh");
    EXPECT_EQ(exec.mode() & 07777, 0755);
    if (exec.is_extended()) {
        EXPECT_EQ(exec.mtime_sec(), 1700000000u);
    }
    EXPECT_EQ(resolve("/private").mode() & 07777, 0600);
    EXPECT_EQ(resolve("/special/fifo").type(), FileType::Fifo);
}

INSTANTIATE_TEST_SUITE_P(MkfsErofs, ErofsImage, ::testing::ValuesIn(CONFIGS),
                         [](const ::testing::TestParamInfo<ImageConfig>& info) { return info.param.name; });

// Without inline data, every regular file is FLAT_PLAIN: one block-aligned extent that
// the kernel can map without copying, which is what ELF loading relies on.
TEST(ErofsMapping, NoInlineDataFilesAreBlockAligned)
{
    auto image = make_image(fixture_tree(), "-Enoinline_data");
    auto fs = Erofs::try_open(image);
    ASSERT_TRUE(fs);
    for (const char* path : {"/sizes/f1", "/sizes/f4095", "/sizes/f4096", "/sizes/f4097", "/sizes/f100000"}) {
        auto inode = fs->resolve(path, FollowLinks::Yes);
        ASSERT_TRUE(inode) << path;
        EXPECT_EQ(inode->layout(), format::DataLayout::FlatPlain) << path;
        auto extent = fs->map(*inode, 0);
        ASSERT_TRUE(extent);
        EXPECT_TRUE(extent->block_aligned);
        EXPECT_EQ(extent->image_offset % 4096, 0u);
        EXPECT_EQ(extent->length, inode->size());
    }
}

// With inline data (the default), the last partial block sits after the inode.
TEST(ErofsMapping, InlineTailIsNotBlockAligned)
{
    auto image = make_image(fixture_tree(), "");
    auto fs = Erofs::try_open(image);
    ASSERT_TRUE(fs);
    auto inode = fs->resolve("/sizes/f4097", FollowLinks::Yes);
    ASSERT_TRUE(inode);
    ASSERT_EQ(inode->layout(), format::DataLayout::FlatInline);
    auto head = fs->map(*inode, 100);
    ASSERT_TRUE(head);
    EXPECT_TRUE(head->block_aligned);
    EXPECT_EQ(head->length, 4096u - 100);
    auto tail = fs->map(*inode, 4096);
    ASSERT_TRUE(tail);
    EXPECT_FALSE(tail->block_aligned);
    EXPECT_EQ(tail->length, 1u);
}

// mkfs.erofs 1.5 stores zero chunks by pointing them all at one zero block; it never
// writes holes. So the test makes one: it rewrites the sparse file's chunk addresses
// to NULL_ADDR and expects zeros where the data was.
TEST(ErofsChunked, NullChunksAreHoles)
{
    auto image = make_image(fixture_tree(), "--chunksize=4096");
    auto fs = Erofs::try_open(image);
    ASSERT_TRUE(fs);
    auto sparse = fs->resolve("/sizes/sparse", FollowLinks::Yes);
    ASSERT_TRUE(sparse);
    ASSERT_EQ(sparse->layout(), format::DataLayout::ChunkBased);
    auto host = read_host_file(fixture_tree() / "sizes" / "sparse");
    std::vector<uint8_t> data(sparse->size());
    auto n = fs->read(*sparse, 0, data);
    ASSERT_TRUE(n);
    ASSERT_EQ(*n, data.size());
    EXPECT_TRUE(data == host);

    // The 4-byte block address array follows the inode and its xattrs (erofs_fs.h).
    uint64_t meta = uint64_t {image[1024 + 40]} | uint64_t {image[1024 + 41]} << 8;
    uint64_t at = meta * 4096 + sparse->nid() * 32;
    uint16_t xattr_icount = static_cast<uint16_t>(image[at + 2] | image[at + 3] << 8);
    uint64_t array = at + (sparse->is_extended() ? 64 : 32) + format::xattr_ibody_size(xattr_icount);
    array = (array + 3) & ~uint64_t {3};
    uint64_t chunks = (sparse->size() + 4095) / 4096;
    ASSERT_EQ(chunks, 48u);
    for (uint64_t chunk : {uint64_t {0}, chunks - 1})
        std::memset(image.data() + array + chunk * 4, 0xFF, 4);
    testing::fix_superblock_checksum(image);

    auto patched = Erofs::try_open(image);
    ASSERT_TRUE(patched);
    auto holes = patched->inode(sparse->nid());
    ASSERT_TRUE(holes);
    auto first = patched->map(*holes, 10);
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->hole);
    EXPECT_EQ(first->length, 4096u - 10);
    auto second = patched->map(*holes, 4096);
    ASSERT_TRUE(second);
    EXPECT_FALSE(second->hole);

    std::fill(data.begin(), data.end(), 0xAA);
    n = patched->read(*holes, 0, data);
    ASSERT_TRUE(n);
    ASSERT_EQ(*n, data.size());
    std::fill(host.end() - 100, host.end(), 0);
    EXPECT_TRUE(data == host);
}

}  // namespace
}  // namespace kiln::erofs

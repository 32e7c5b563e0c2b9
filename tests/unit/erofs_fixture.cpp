#include "erofs_fixture.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "scratch_dir.h"

namespace kiln::erofs::testing {

namespace fs = std::filesystem;

namespace {

uint64_t hash_name(std::string_view name)
{
    uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (char c : name)
        h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
    return h;
}

void write_file(const fs::path& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

void write_pattern_file(const fs::path& path, size_t size)
{
    write_file(path, pattern_bytes(size, hash_name(path.filename().string())));
}

void symlink_to(const std::string& target, const fs::path& link) { fs::create_symlink(target, link); }

// Distinct mtimes with nanoseconds, so default images use extended inodes and the test
// can check that mtime survives.
void set_mtime(const fs::path& path, time_t seconds, long nanoseconds)
{
    struct timespec times[2] = {{seconds, nanoseconds}, {seconds, nanoseconds}};
    if (utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0)
        throw std::runtime_error("utimensat " + path.string());
}

void build_fixture(const fs::path& root)
{
    fs::path tree = root / "tree";
    fs::create_directories(tree / "sizes");
    for (size_t size : {0, 1, 4095, 4096, 4097, 8193, 100000})
        write_pattern_file(tree / "sizes" / ("f" + std::to_string(size)), size);
    fs::create_hard_link(tree / "sizes" / "f4096", tree / "sizes" / "hard4096");

    // Sparse: chunk-based images may store the zero chunks as holes.
    {
        std::vector<uint8_t> sparse(3 * 65536, 0);
        auto tail = pattern_bytes(100, 7);
        std::copy(tail.begin(), tail.end(), sparse.end() - 100);
        write_file(tree / "sizes" / "sparse", sparse);
    }

    write_pattern_file(tree / "exec.sh", 20);
    fs::permissions(tree / "exec.sh", fs::perms(0755));
    write_pattern_file(tree / "private", 10);
    fs::permissions(tree / "private", fs::perms(0600));

    fs::create_directories(tree / "nested" / "a" / "b" / "c");
    write_pattern_file(tree / "nested" / "a" / "b" / "c" / "deep.txt", 123);
    symlink_to("../../sizes/f1", tree / "nested" / "a" / "up");

    // 300 entries with 20-byte names: several directory blocks.
    fs::create_directories(tree / "many");
    for (int i = 0; i < 300; ++i) {
        char name[32];
        std::snprintf(name, sizeof(name), "entry_%04d_padding_x", i);
        if (i % 10 == 0)
            fs::create_directory(tree / "many" / name);
        else
            write_pattern_file(tree / "many" / name, static_cast<size_t>(i));
    }

    // mkfs.erofs 1.5 cannot store 255-byte names (it truncates them to 254 while
    // building paths and then fails or merges files), so 254 is the longest tested here.
    fs::create_directories(tree / "longname");
    write_pattern_file(tree / "longname" / std::string(254, 'n'), 42);
    write_pattern_file(tree / "longname" / std::string(253, 'n'), 43);

    // Compressible, so that -zlz4 images really contain a compressed inode.
    write_file(tree / "compressible", std::vector<uint8_t>(65536, 'k'));

    symlink_to("sizes/f4097", tree / "link_rel");
    symlink_to("/sizes/f100000", tree / "link_abs");
    symlink_to("nested/a", tree / "link_dir");
    symlink_to("/nested/a/b/", tree / "link_dir_abs");
    symlink_to("loop2", tree / "loop1");
    symlink_to("loop1", tree / "loop2");
    symlink_to("self", tree / "self");
    symlink_to("does/not/exist", tree / "dangling");
    symlink_to("sizes/f1/", tree / "file_with_slash");
    symlink_to(std::string(4000, 'x'), tree / "long_target");

    // chain/l00 -> l01 -> ... -> l39 -> end: resolving l00 follows exactly 40 symlinks,
    // Linux's limit; chain/extra -> l00 needs 41.
    fs::create_directories(tree / "chain");
    write_pattern_file(tree / "chain" / "end", 5);
    for (int i = 0; i < 40; ++i) {
        char name[16], next[16];
        std::snprintf(name, sizeof(name), "l%02d", i);
        std::snprintf(next, sizeof(next), "l%02d", i + 1);
        symlink_to(i == 39 ? "end" : next, tree / "chain" / name);
    }
    symlink_to("l00", tree / "chain" / "extra");

    fs::create_directories(tree / "special");
    if (mkfifo((tree / "special" / "fifo").c_str(), 0640) != 0)
        throw std::runtime_error("mkfifo");

    set_mtime(tree / "sizes" / "f1", 1600000000, 123456789);
    set_mtime(tree / "exec.sh", 1700000000, 1);
    set_mtime(tree / "link_rel", 1500000000, 999999999);
}

void build_small(const fs::path& root)
{
    fs::path tree = root / "small";
    fs::create_directories(tree / "d");
    write_pattern_file(tree / "a", 100);
    write_pattern_file(tree / "b", 5000);
    write_pattern_file(tree / "d" / "c", 10);
    symlink_to("../a", tree / "d" / "l");
}

const kiln::testing::ScratchDir& temp_root()
{
    static kiln::testing::ScratchDir root("erofs-tree");
    return root;
}

}  // namespace

std::vector<uint8_t> pattern_bytes(size_t size, uint64_t seed)
{
    std::vector<uint8_t> bytes(size);
    uint64_t x = seed | 1;
    for (size_t i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        bytes[i] = static_cast<uint8_t>(x >> 24);
    }
    return bytes;
}

const fs::path& fixture_tree()
{
    static const fs::path tree = [] {
        build_fixture(temp_root().path());
        return temp_root().path() / "tree";
    }();
    return tree;
}

const fs::path& small_tree()
{
    static const fs::path tree = [] {
        build_small(temp_root().path());
        return temp_root().path() / "small";
    }();
    return tree;
}

std::vector<uint8_t> make_image(const fs::path& tree, const std::string& options)
{
    static int counter = 0;
    fs::path image_path = temp_root().path() / ("image" + std::to_string(counter++) + ".erofs");
    std::string command = "mkfs.erofs --quiet " + options + " '" + image_path.string() + "' '" + tree.string() + "' 2>&1";
    int status = std::system(command.c_str());
    if (status != 0) {
        ADD_FAILURE() << "mkfs.erofs failed (status " << status << "); is erofs-utils installed? command: " << command;
        return {};
    }
    std::ifstream in(image_path, std::ios::binary);
    std::vector<uint8_t> image((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(image_path);
    if (image.empty())
        ADD_FAILURE() << "mkfs.erofs wrote an empty image: " << command;
    return image;
}

}  // namespace kiln::erofs::testing

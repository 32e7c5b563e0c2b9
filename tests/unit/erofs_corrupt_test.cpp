// The EROFS reader against damaged images: truncated, bit-flipped, or with hand-edited
// fields. Every case must end in an error or in valid data; a crash or an out-of-bounds
// read (run the binary under AddressSanitizer to see those) is the failure.

#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "erofs_fixture.h"
#include "fs/erofs/erofs.h"

namespace kiln::erofs {
namespace {

using testing::exercise_image;
using testing::fix_superblock_checksum;
using testing::fixture_tree;
using testing::make_image;
using testing::small_tree;

constexpr size_t SB = format::SUPERBLOCK_OFFSET;

template <typename T>
void poke(std::vector<uint8_t>& image, size_t offset, T value)
{
    std::memcpy(image.data() + offset, &value, sizeof(T));
}

template <typename T>
T peek(const std::vector<uint8_t>& image, size_t offset)
{
    T value;
    std::memcpy(&value, image.data() + offset, sizeof(T));
    return value;
}

Errno open_error(const std::vector<uint8_t>& image)
{
    auto fs = Erofs::try_open(image);
    return fs ? Errno {} : fs.error();
}

// Each image is copied into an exactly-sized heap buffer so that ASan catches a read
// even one byte past the end.
size_t exercise_exact(const std::vector<uint8_t>& image, size_t length)
{
    std::unique_ptr<uint8_t[]> copy(new uint8_t[length ? length : 1]);
    std::memcpy(copy.get(), image.data(), length);
    return exercise_image({copy.get(), length});
}

class ErofsCorrupt : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        s_image = new std::vector<uint8_t>(make_image(fixture_tree(), ""));
        s_small = new std::vector<uint8_t>(make_image(small_tree(), ""));
    }
    static void TearDownTestSuite()
    {
        delete s_image;
        delete s_small;
    }
    void SetUp() override
    {
        ASSERT_GT(s_image->size(), 8192u);
        ASSERT_GT(s_small->size(), 4096u);
        // The untouched images are fully readable: the walk must find real work to do.
        ASSERT_GT(exercise_image(*s_image), 1000u);
    }

    static std::vector<uint8_t>* s_image;
    static std::vector<uint8_t>* s_small;
};

std::vector<uint8_t>* ErofsCorrupt::s_image;
std::vector<uint8_t>* ErofsCorrupt::s_small;

TEST_F(ErofsCorrupt, TooShortIsNotErofs)
{
    std::vector<uint8_t> empty;
    EXPECT_EQ(open_error(empty), Errno::INVAL);
    for (size_t length : {size_t {1}, SB, SB + 127}) {
        std::vector<uint8_t> head(s_image->begin(), s_image->begin() + static_cast<long>(length));
        EXPECT_EQ(open_error(head), Errno::INVAL) << length;
    }
    // Superblock present but the checksummed block is cut short.
    std::vector<uint8_t> head(s_image->begin(), s_image->begin() + 2048);
    EXPECT_EQ(open_error(head), Errno::UCLEAN);
}

TEST_F(ErofsCorrupt, SuperblockFields)
{
    auto image = *s_image;
    EXPECT_EQ(peek<uint32_t>(image, SB), format::SUPER_MAGIC_V1);

    auto bad_magic = image;
    poke<uint32_t>(bad_magic, SB, 0xE0F5E1E3);
    EXPECT_EQ(open_error(bad_magic), Errno::INVAL);

    auto big_blocks = image;
    big_blocks[SB + offsetof(format::SuperBlock, blkszbits)] = 13;
    fix_superblock_checksum(big_blocks);
    EXPECT_EQ(open_error(big_blocks), Errno::INVAL);

    // Unknown and compression-only incompat features are refused, known ones accepted.
    for (uint32_t feature : {format::FEATURE_INCOMPAT_COMPR_CFGS, format::FEATURE_INCOMPAT_DEVICE_TABLE,
                             format::FEATURE_INCOMPAT_ZTAILPACKING, format::FEATURE_INCOMPAT_FRAGMENTS,
                             uint32_t {0x80000000}}) {
        auto unsupported = image;
        poke<uint32_t>(unsupported, SB + offsetof(format::SuperBlock, feature_incompat), feature);
        fix_superblock_checksum(unsupported);
        EXPECT_EQ(open_error(unsupported), Errno::OPNOTSUPP) << feature;
    }
    auto chunked = image;
    poke<uint32_t>(chunked, SB + offsetof(format::SuperBlock, feature_incompat), format::FEATURE_INCOMPAT_CHUNKED_FILE);
    fix_superblock_checksum(chunked);
    EXPECT_EQ(open_error(chunked), Errno {});

    // Unknown compat features are fine.
    auto compat = image;
    poke<uint32_t>(compat, SB + offsetof(format::SuperBlock, feature_compat),
                   peek<uint32_t>(image, SB + 8) | 0x40000000);
    fix_superblock_checksum(compat);
    EXPECT_EQ(open_error(compat), Errno {});

    // Any byte of block 0 changed behind the checksum's back.
    auto flipped = image;
    flipped[4000] ^= 1;
    EXPECT_EQ(open_error(flipped), Errno::UCLEAN);

    auto root_is_file = image;
    auto fs = Erofs::try_open(image);
    ASSERT_TRUE(fs);
    auto file = fs->resolve("/exec.sh", FollowLinks::No);
    ASSERT_TRUE(file);
    poke<uint16_t>(root_is_file, SB + offsetof(format::SuperBlock, root_nid), static_cast<uint16_t>(file->nid()));
    fix_superblock_checksum(root_is_file);
    EXPECT_EQ(open_error(root_is_file), Errno::UCLEAN);

    auto meta_past_end = image;
    poke<uint32_t>(meta_past_end, SB + offsetof(format::SuperBlock, meta_blkaddr), 0xFFFFFFFF);
    fix_superblock_checksum(meta_past_end);
    EXPECT_EQ(open_error(meta_past_end), Errno::UCLEAN);
}

TEST_F(ErofsCorrupt, CompressedFilesAreRefused)
{
    auto image = make_image(fixture_tree(), "-zlz4");
    auto fs = Erofs::try_open(image);
    if (!fs) {
        EXPECT_EQ(fs.error(), Errno::OPNOTSUPP);
        return;
    }
    // mkfs.erofs 1.5 only sets ZERO_PADDING for lz4, so the image opens and the
    // compressed inodes themselves are refused.
    auto big = fs->resolve("/compressible", FollowLinks::Yes);
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error(), Errno::OPNOTSUPP);
    exercise_image(image);
}

TEST_F(ErofsCorrupt, Truncated)
{
    const auto& image = *s_image;
    for (size_t length = 0; length < image.size(); length += 512)
        exercise_exact(image, length);
    std::mt19937_64 random(1);
    for (int i = 0; i < 300; ++i)
        exercise_exact(image, random() % image.size());
    for (size_t length = 0; length < s_small->size(); ++length)
        exercise_exact(*s_small, length);
}

// Random flips anywhere in the image, with the checksum repaired so they reach inodes
// and directories rather than stopping at the superblock.
TEST_F(ErofsCorrupt, RandomByteFlips)
{
    std::mt19937_64 random(0x6b696c6e);
    // Metadata is packed at the start of mkfs.erofs 1.5 images; aim most flips there.
    size_t hot = std::min<size_t>(s_image->size(), 64 * 1024);
    for (int round = 0; round < 1500; ++round) {
        auto image = *s_image;
        int flips = 1 + static_cast<int>(random() % 8);
        for (int i = 0; i < flips; ++i) {
            size_t at = (round % 4 == 0) ? random() % image.size() : SB + random() % (hot - SB);
            image[at] ^= static_cast<uint8_t>(1u << (random() % 8));
        }
        if (round % 8 != 0)
            fix_superblock_checksum(image);
        exercise_exact(image, image.size());
    }
}

// Every byte of the small image's metadata block set to a few interesting values.
TEST_F(ErofsCorrupt, EveryMetadataByte)
{
    for (size_t at = SB; at < 4096; ++at) {
        for (uint8_t value : {uint8_t {0x00}, uint8_t {0xFF}, uint8_t {0x80}, uint8_t {0x0C}}) {
            auto image = *s_small;
            if (image[at] == value)
                continue;
            image[at] = value;
            fix_superblock_checksum(image);
            exercise_exact(image, image.size());
        }
    }
}

// Same, for the directory and inode blocks of the big image that lie past block 0.
TEST_F(ErofsCorrupt, DirectoryBlocks)
{
    auto fs = Erofs::try_open(*s_image);
    ASSERT_TRUE(fs);
    auto many = fs->resolve("/many", FollowLinks::Yes);
    ASSERT_TRUE(many);
    auto extent = fs->map(*many, 0);
    ASSERT_TRUE(extent);
    std::mt19937_64 random(42);
    for (uint64_t i = 0; i < 4096; i += 1 + random() % 3) {
        auto image = *s_image;
        image[extent->image_offset + i] = static_cast<uint8_t>(random());
        exercise_exact(image, image.size());
    }
}

// Hand-made damage that random flips rarely produce.
TEST_F(ErofsCorrupt, TargetedInodeFields)
{
    auto fs = Erofs::try_open(*s_small);
    ASSERT_TRUE(fs);
    auto b = fs->resolve("/b", FollowLinks::No);
    ASSERT_TRUE(b);
    uint64_t meta = uint64_t {peek<uint32_t>(*s_small, SB + offsetof(format::SuperBlock, meta_blkaddr))} * 4096;
    size_t at = meta + b->nid() * 32;
    const size_t size_field = b->is_extended() ? 8 : 4;
    const size_t u_field = 16;

    auto check = [&](auto edit, Errno expected) {
        auto image = *s_small;
        edit(image);
        fix_superblock_checksum(image);
        auto opened = Erofs::try_open(image);
        ASSERT_TRUE(opened);
        auto inode = opened->resolve("/b", FollowLinks::No);
        ASSERT_FALSE(inode);
        EXPECT_EQ(inode.error(), expected);
    };
    // A huge size, data past the end of the image, an unknown layout, a compressed
    // layout, a bogus file type, and xattrs that push the inline tail out of its block.
    check([&](auto& image) {
        if (size_field == 8)
            poke<uint64_t>(image, at + 8, UINT64_MAX);
        else
            poke<uint32_t>(image, at + 8, UINT32_MAX);
    }, Errno::UCLEAN);
    check([&](auto& image) { poke<uint32_t>(image, at + u_field, 0xFFFFFF); }, Errno::UCLEAN);
    check([&](auto& image) { poke<uint16_t>(image, at, static_cast<uint16_t>((image[at] & 1) | (5 << 1))); },
          Errno::OPNOTSUPP);
    check([&](auto& image) { poke<uint16_t>(image, at, static_cast<uint16_t>((image[at] & 1) | (3 << 1))); },
          Errno::OPNOTSUPP);
    check([&](auto& image) { poke<uint16_t>(image, at, static_cast<uint16_t>(image[at] | 0x10)); },
          Errno::OPNOTSUPP);
    check([&](auto& image) { poke<uint16_t>(image, at + 4, 0170644); }, Errno::UCLEAN);
    check([&](auto& image) { poke<uint16_t>(image, at + 2, 0xFFFF); }, Errno::UCLEAN);

    // A nid far past the image, and one whose offset computation would overflow.
    EXPECT_EQ(fs->inode(1ull << 40).error(), Errno::UCLEAN);
    EXPECT_EQ(fs->inode(UINT64_MAX).error(), Errno::UCLEAN);

    // The default-constructed filesystem is empty and fails everything.
    Erofs empty;
    EXPECT_FALSE(empty.root());
    EXPECT_FALSE(empty.resolve("/", FollowLinks::Yes));
}

}  // namespace
}  // namespace kiln::erofs

#include "fs/block_device_file.h"

#include "dev/virtio/blk.h"
#include "dev/virtio/probe.h"
#include "fs/open_flags.h"
#include "lib/kalloc.h"
#include "proc/process_memory.h"
#include "time/wait.h"

namespace kiln {
namespace {

constexpr uint64_t SECTOR = 512;
// Transfers go through one physically contiguous bounce buffer (DMA needs guest-physical
// memory; user buffers may be scattered or not yet mapped). One CPU, one caller at a time.
constexpr uint64_t BOUNCE_PAGES = 16;
constexpr uint64_t BOUNCE_SIZE = BOUNCE_PAGES * 4096;
uint64_t g_bounce_physical = 0;

struct Completion {
    bool done = false;
    Result<void> result;
};

Result<uint8_t*> bounce()
{
    if (!g_bounce_physical) {
        TRY(g_bounce_physical, physical_allocator().allocate_contiguous(BOUNCE_PAGES));
    }
    return static_cast<uint8_t*>(direct_map_pointer(g_bounce_physical));
}

// Submits one request and waits for its completion, halting the CPU in between.
Result<void> run(virtio::VirtioBlk* disk, virtio::BlockOperation operation, uint64_t sector, uint64_t length)
{
    virtio::Segment segment { g_bounce_physical, static_cast<uint32_t>(length) };
    Completion completion;
    virtio::BlockRequest request;
    request.operation = operation;
    request.sector = sector;
    request.buffers = operation == virtio::BlockOperation::Flush ? std::span<const virtio::Segment>()
                                                                 : std::span<const virtio::Segment>(&segment, 1);
    request.completion = [](void* context, uint16_t, Result<void> result) {
        auto* c = static_cast<Completion*>(context);
        c->result = result;
        c->done = true;
    };
    request.context = &completion;
    for (;;) {
        auto tag = disk->submit(request);
        if (!tag.is_error())
            break;
        if (tag.error() != Errno::AGAIN)
            return tag.error();
        disk->poll_completions();
    }
    struct Wait {
        virtio::VirtioBlk* disk;
        Completion* completion;
    } wait { disk, &completion };
    (void)wait_until(
        WAIT_FOREVER,
        [](void* context) {
            auto* w = static_cast<Wait*>(context);
            w->disk->poll_completions();
            return w->completion->done;
        },
        &wait);
    return completion.result;
}

} // namespace

uint64_t BlockDeviceFile::size() const { return m_disk->size_bytes(); }

Result<size_t> BlockDeviceFile::read(uint64_t offset, const IoBuffer& buffer)
{
    if (offset >= size())
        return 0;
    uint64_t length = buffer.length() < size() - offset ? buffer.length() : size() - offset;
    TRY(uint8_t * staging, bounce());
    uint64_t done = 0;
    while (done < length) {
        uint64_t position = offset + done;
        uint64_t first_sector = position / SECTOR;
        uint64_t skip = position % SECTOR;
        uint64_t wanted = length - done < BOUNCE_SIZE - skip ? length - done : BOUNCE_SIZE - skip;
        uint64_t span = (skip + wanted + SECTOR - 1) / SECTOR * SECTOR;
        TRY_VOID(run(m_disk, virtio::BlockOperation::Read, first_sector, span));
        TRY_VOID(buffer.write(done, staging + skip, wanted));
        done += wanted;
    }
    return done;
}

Result<size_t> BlockDeviceFile::write(uint64_t offset, const IoBuffer& buffer)
{
    if (m_disk->read_only())
        return Errno::ROFS;
    if (offset >= size())
        return buffer.length() == 0 ? Result<size_t>(0) : Result<size_t>(Errno::NOSPC);
    uint64_t length = buffer.length() < size() - offset ? buffer.length() : size() - offset;
    TRY(uint8_t * staging, bounce());
    uint64_t done = 0;
    while (done < length) {
        uint64_t position = offset + done;
        uint64_t first_sector = position / SECTOR;
        uint64_t skip = position % SECTOR;
        uint64_t wanted = length - done < BOUNCE_SIZE - skip ? length - done : BOUNCE_SIZE - skip;
        uint64_t span = (skip + wanted + SECTOR - 1) / SECTOR * SECTOR;
        // A partial first or last sector: read the span first so the bytes around the
        // write survive (the middle is read needlessly; simple beats clever here).
        if (skip != 0 || (skip + wanted) % SECTOR != 0)
            TRY_VOID(run(m_disk, virtio::BlockOperation::Read, first_sector, span));
        TRY_VOID(buffer.read(done, staging + skip, wanted));
        TRY_VOID(run(m_disk, virtio::BlockOperation::Write, first_sector, span));
        done += wanted;
    }
    return done;
}

Result<void> BlockDeviceFile::sync()
{
    if (!m_disk->has_flush())
        return {}; // write-through device: completed writes are already durable
    return run(m_disk, virtio::BlockOperation::Flush, 0, 0);
}

Result<void> BlockDeviceFile::stat(LinuxStat& out) const
{
    out = LinuxStat {};
    out.dev = DEVICE_PSEUDO;
    out.ino = 200 + m_index;
    out.nlink = 1;
    out.mode = 0060000 | (m_disk->read_only() ? 0444 : 0660); // S_IFBLK
    out.rdev = (253u << 8) | (m_index * 16); // virtblk's major, 16 minors each
    // Linux reports 0 here (the size comes from BLKGETSIZE64); reporting it is friendlier
    // and nothing relies on the zero.
    out.size = static_cast<int64_t>(size());
    out.blksize = m_disk->block_size();
    out.blocks = static_cast<int64_t>(size() / 512);
    return {};
}

Result<int64_t> BlockDeviceFile::ioctl(uint64_t request, uint64_t argument)
{
    constexpr uint64_t BLKGETSIZE = 0x1260, BLKSSZGET = 0x1268, BLKPBSZGET = 0x127b, BLKGETSIZE64 = 0x80081272,
                       BLKROGET = 0x125e, BLKFLSBUF = 0x1261;
    UserAddress out { argument };
    switch (request) {
    case BLKGETSIZE64:
        TRY_VOID(write_user(out, size()));
        return 0;
    case BLKGETSIZE:
        TRY_VOID(write_user(out, static_cast<uint64_t>(size() / 512)));
        return 0;
    case BLKSSZGET:
        TRY_VOID(write_user(out, static_cast<int32_t>(SECTOR)));
        return 0;
    case BLKPBSZGET:
        TRY_VOID(write_user(out, static_cast<uint32_t>(m_disk->block_size())));
        return 0;
    case BLKROGET:
        TRY_VOID(write_user(out, static_cast<int32_t>(m_disk->read_only())));
        return 0;
    case BLKFLSBUF:
        return 0; // no buffer cache
    default:
        return Errno::NOTTY;
    }
}

int block_device_index(std::string_view path)
{
    // "/dev/vd" + one letter
    if (path.size() != 8 || std::string_view(path.data(), 7) != "/dev/vd" || path[7] < 'a' || path[7] > 'z')
        return -1;
    return path[7] - 'a';
}

Result<File*> open_block_device(int index, uint32_t flags)
{
    virtio::VirtioBlk* disk = index >= 0 ? virtio::virtio_blk(static_cast<size_t>(index)) : nullptr;
    if (!disk)
        return Errno::NOENT;
    if (open_for_writing(flags) && disk->read_only())
        return Errno::ROFS;
    File* file = make<BlockDeviceFile>(disk, static_cast<uint32_t>(index));
    if (!file)
        return Errno::NOMEM;
    return file;
}

} // namespace kiln

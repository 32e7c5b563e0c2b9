#pragma once

// /dev/vda, /dev/vdb...: a virtio-blk disk as a file. pread/pwrite at any byte offset and
// length (partial sectors are read, patched and written back), fsync as a device flush,
// and the Linux block ioctls (BLKGETSIZE64, BLKSSZGET, BLKGETSIZE). The calls block the
// process until the device completes; Linux AIO on the same disk (fs/aio/) does not.

#include <string_view>

#include "fs/file.h"

namespace kiln {

namespace virtio {
class VirtioBlk;
}

class BlockDeviceFile final : public File {
public:
    BlockDeviceFile(virtio::VirtioBlk* disk, uint32_t index) : m_disk(disk), m_index(index) {}

    Result<size_t> read(uint64_t offset, const IoBuffer& buffer) override;
    Result<size_t> write(uint64_t offset, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    uint64_t size() const override;
    Result<int64_t> ioctl(uint64_t request, uint64_t argument) override;
    Result<void> sync() override;
    BlockDeviceFile* as_block_device() override { return this; }

    virtio::VirtioBlk* disk() const { return m_disk; }
    uint32_t index() const { return m_index; } // 0 for /dev/vda

private:
    virtio::VirtioBlk* m_disk;
    uint32_t m_index;
};

// The disk named by a path under /dev ("/dev/vda" → 0), or -1.
int block_device_index(std::string_view path);

// Opens disk `index`: ENOENT if there is none, EROFS to write a read-only one.
Result<File*> open_block_device(int index, uint32_t flags);

}  // namespace kiln

#pragma once

// Files and directories of the root image (EROFS), read straight from the in-memory
// image.

#include "fs/erofs/erofs.h"
#include "fs/file.h"

namespace kiln {

class RootFile final : public File {
public:
    RootFile(const erofs::Erofs& fs, const erofs::Inode& inode) : m_fs(fs), m_inode(inode) {}

    Result<size_t> read(uint64_t offset, const IoBuffer& buffer) override;
    Result<void> stat(LinuxStat& out) const override;
    uint64_t size() const override { return m_inode.size(); }
    bool is_directory() const override { return m_inode.is_directory(); }
    Result<uint64_t> read_directory(uint64_t cookie, EntryVisitor visit, void* context) override;
    const uint8_t* contents() const override;

    const erofs::Inode& inode() const { return m_inode; }

private:
    const erofs::Erofs& m_fs;
    erofs::Inode m_inode;
};

// stat(2) fields for a root-image inode.
void root_inode_stat(const erofs::Inode& inode, LinuxStat& out);

// DT_* value for an EROFS file type.
uint8_t dirent_type(erofs::FileType type);

}  // namespace kiln

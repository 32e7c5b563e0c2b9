#include "image_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>

#include "fs/erofs/erofs.h"
#include "lib/errno.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

// The image mapped read-only for as long as this lives.
class MappedImage {
public:
    explicit MappedImage(const fs::path& path)
    {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            m_error = path.string() + ": cannot open: " + std::strerror(errno);
            return;
        }
        struct stat st { };
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
            m_error = path.string() + ": not a root image (empty, or not a regular file)";
            ::close(fd);
            return;
        }
        m_size = static_cast<size_t>(st.st_size);
        void* data = ::mmap(nullptr, m_size, PROT_READ, MAP_PRIVATE, fd, 0);
        ::close(fd);
        if (data == MAP_FAILED) {
            m_error = path.string() + ": cannot map: " + std::strerror(errno);
            return;
        }
        m_data = static_cast<const uint8_t*>(data);
        auto opened = erofs::Erofs::try_open(std::span<const uint8_t>(m_data, m_size));
        if (!opened) {
            m_error = path.string() + ": not a Kiln root image (EROFS): " + errno_name(opened.error());
            return;
        }
        m_fs = opened.value();
    }
    ~MappedImage()
    {
        if (m_data)
            ::munmap(const_cast<uint8_t*>(m_data), m_size);
    }
    MappedImage(const MappedImage&) = delete;
    MappedImage& operator=(const MappedImage&) = delete;

    const std::string& error() const { return m_error; }
    const erofs::Erofs& fs() const { return m_fs; }
    size_t size() const { return m_size; }

    std::optional<std::string> read(const erofs::Inode& inode) const
    {
        std::string out(inode.size(), '\0');
        uint64_t done = 0;
        while (done < out.size()) {
            auto n = m_fs.read(
                inode, done, std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()) + done, out.size() - done));
            if (!n || *n == 0)
                return std::nullopt;
            done += *n;
        }
        return out;
    }

private:
    const uint8_t* m_data = nullptr;
    size_t m_size = 0;
    erofs::Erofs m_fs;
    std::string m_error;
};

char type_letter(erofs::FileType type)
{
    switch (type) {
    case erofs::FileType::Regular:
        return 'f';
    case erofs::FileType::Directory:
        return 'd';
    case erofs::FileType::Symlink:
        return 'l';
    default:
        return '?';
    }
}

std::string walk(
    const MappedImage& image, const erofs::Inode& dir, const std::string& path, std::vector<ImageEntry>& out, int depth)
{
    if (depth > 64)
        return "folders nested deeper than 64 levels at " + path;
    std::vector<std::pair<std::string, erofs::Nid>> children;
    auto done = image.fs().read_directory(dir, 0, [&](const erofs::DirEntry& entry) {
        if (entry.name != "." && entry.name != "..")
            children.emplace_back(std::string(entry.name), entry.nid);
        return erofs::IterationDecision::Continue;
    });
    if (!done)
        return "cannot read the folder " + path + ": " + errno_name(done.error());
    for (const auto& [name, nid] : children) {
        auto inode = image.fs().inode(nid);
        std::string child = (path == "/" ? "/" : path + "/") + name;
        if (!inode)
            return "cannot read " + child + ": " + errno_name(inode.error());
        ImageEntry entry;
        entry.path = child;
        entry.type = type_letter(inode->type());
        entry.mode = inode->mode() & 07777;
        entry.size = inode->size();
        entry.nid = nid;
        if (inode->is_symlink()) {
            auto target = image.fs().symlink_target(*inode);
            if (target)
                entry.link_target = std::string(*target);
        }
        out.push_back(entry);
        if (inode->is_directory())
            if (std::string error = walk(image, *inode, child, out, depth + 1); !error.empty())
                return error;
    }
    return {};
}

} // namespace

ImageListing list_image(const fs::path& path)
{
    ImageListing listing;
    MappedImage image(path);
    if (!image.error().empty()) {
        listing.error = image.error();
        return listing;
    }
    listing.image_size = image.size();
    auto root = image.fs().root();
    if (!root) {
        listing.error = path.string() + ": cannot read the root folder";
        return listing;
    }
    listing.entries.push_back({ "/", 'd', static_cast<uint16_t>(root->mode() & 07777), root->size(), root->nid(), {} });
    listing.error = walk(image, *root, "/", listing.entries, 0);
    return listing;
}

std::optional<std::string> read_image_file(const fs::path& path, const std::string& file)
{
    MappedImage image(path);
    if (!image.error().empty())
        return std::nullopt;
    auto inode = image.fs().resolve(file, erofs::FollowLinks::Yes);
    if (!inode || !inode->is_regular())
        return std::nullopt;
    return image.read(*inode);
}

std::string extract_image(const fs::path& path, const fs::path& destination)
{
    ImageListing listing = list_image(path);
    if (!listing.error.empty())
        return listing.error;
    MappedImage image(path);
    if (!image.error().empty())
        return image.error();
    std::map<uint64_t, fs::path> first_path; // nid → where it was written, for hard links
    std::error_code ec;
    for (const ImageEntry& entry : listing.entries) {
        if (entry.path == "/")
            continue;
        fs::path target = destination / entry.path.substr(1);
        if (entry.type == 'd') {
            fs::create_directory(target, ec);
        } else if (entry.type == 'l') {
            fs::create_symlink(entry.link_target, target, ec);
        } else if (entry.type == 'f') {
            if (auto it = first_path.find(entry.nid); it != first_path.end()) {
                fs::create_hard_link(it->second, target, ec);
            } else {
                auto inode = image.fs().inode(entry.nid);
                auto bytes = inode ? image.read(*inode) : std::nullopt;
                if (!bytes)
                    return "cannot read " + entry.path + " from " + path.string();
                std::ofstream out(target, std::ios::binary);
                out << *bytes;
                if (!out)
                    return "cannot write " + target.string();
                first_path[entry.nid] = target;
            }
        } else {
            return entry.path + " in " + path.string() + " is not a file, folder or symlink";
        }
        if (ec)
            return "cannot create " + target.string() + ": " + ec.message();
        if (entry.type != 'l')
            fs::permissions(target, fs::perms(entry.mode), ec);
    }
    return {};
}

} // namespace kiln::initrd

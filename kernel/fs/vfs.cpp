#include "fs/vfs.h"

#include "fs/block_device_file.h"
#include "fs/open_flags.h"
#include "fs/pseudo_files.h"
#include "fs/root_file.h"
#include "fs/tmpfs.h"
#include "lib/format.h"
#include "lib/kalloc.h"

namespace kiln::vfs {
namespace {

erofs::Erofs g_root;
PseudoFileSources g_sources;
char g_cwd[PATH_CAPACITY] = "/";
char g_executable[PATH_CAPACITY] = "";

constexpr uint8_t DT_DIR = 4, DT_REG = 8, DT_LNK = 10, DT_CHR = 2;

const PseudoDirectory::Entry DEV_ENTRIES[] = { { "console", DT_CHR }, { "null", DT_CHR }, { "random", DT_CHR },
    { "urandom", DT_CHR }, { "zero", DT_CHR } };
const PseudoDirectory::Entry PROC_ENTRIES[] = { { "meminfo", DT_REG }, { "self", DT_DIR } };
const PseudoDirectory::Entry PROC_SELF_ENTRIES[] = { { "exe", DT_LNK }, { "maps", DT_REG } };
const PseudoDirectory::Entry SYS_ENTRIES[] = { { "devices", DT_DIR } };
const PseudoDirectory::Entry SYS_DEVICES_ENTRIES[] = { { "system", DT_DIR } };
const PseudoDirectory::Entry SYS_SYSTEM_ENTRIES[] = { { "cpu", DT_DIR } };
const PseudoDirectory::Entry SYS_CPU_ENTRIES[] = { { "online", DT_REG }, { "possible", DT_REG }, { "present", DT_REG } };

enum class PseudoKind { Directory, Device, Generated, ExeLink };

struct PseudoNode {
    const char* path;
    PseudoKind kind;
    uint64_t ino;
    const PseudoDirectory::Entry* entries = nullptr;
    size_t entry_count = 0;
    CharDevice device = CharDevice::Null;
    size_t (*generate)(char* out, size_t capacity) = nullptr;
};

template <size_t N>
constexpr PseudoNode directory(const char* path, uint64_t ino, const PseudoDirectory::Entry (&entries)[N])
{
    return PseudoNode { path, PseudoKind::Directory, ino, entries, N };
}

size_t one_cpu(char* out, size_t capacity) { return format(out, capacity, "0\n"); }
size_t maps(char* out, size_t capacity) { return g_sources.maps ? g_sources.maps(out, capacity) : 0; }
size_t meminfo(char* out, size_t capacity) { return g_sources.meminfo ? g_sources.meminfo(out, capacity) : 0; }
size_t resolv_conf(char* out, size_t capacity)
{
    return g_sources.resolv_conf ? g_sources.resolv_conf(out, capacity) : 0;
}
// The names every Linux resolver expects to find, without a file in the image.
size_t hosts(char* out, size_t capacity) { return format(out, capacity, "127.0.0.1\tlocalhost\n"); }
size_t hostname(char* out, size_t capacity) { return format(out, capacity, "kiln\n"); }

const PseudoNode PSEUDO_NODES[] = {
    directory("/dev", 10, DEV_ENTRIES),
    { "/dev/console", PseudoKind::Device, 11, nullptr, 0, CharDevice::Console },
    { "/dev/null", PseudoKind::Device, 12, nullptr, 0, CharDevice::Null },
    { "/dev/random", PseudoKind::Device, 13, nullptr, 0, CharDevice::Random },
    { "/dev/urandom", PseudoKind::Device, 14, nullptr, 0, CharDevice::Random },
    { "/dev/zero", PseudoKind::Device, 15, nullptr, 0, CharDevice::Zero },
    directory("/proc", 20, PROC_ENTRIES),
    { "/proc/meminfo", PseudoKind::Generated, 21, nullptr, 0, CharDevice::Null, meminfo },
    directory("/proc/self", 22, PROC_SELF_ENTRIES),
    { "/proc/self/exe", PseudoKind::ExeLink, 23 },
    { "/proc/self/maps", PseudoKind::Generated, 24, nullptr, 0, CharDevice::Null, maps },
    { "/etc/hostname", PseudoKind::Generated, 40, nullptr, 0, CharDevice::Null, hostname },
    { "/etc/hosts", PseudoKind::Generated, 41, nullptr, 0, CharDevice::Null, hosts },
    { "/etc/resolv.conf", PseudoKind::Generated, 42, nullptr, 0, CharDevice::Null, resolv_conf },
    directory("/sys", 30, SYS_ENTRIES),
    directory("/sys/devices", 31, SYS_DEVICES_ENTRIES),
    directory("/sys/devices/system", 32, SYS_SYSTEM_ENTRIES),
    directory("/sys/devices/system/cpu", 33, SYS_CPU_ENTRIES),
    { "/sys/devices/system/cpu/online", PseudoKind::Generated, 34, nullptr, 0, CharDevice::Null, one_cpu },
    { "/sys/devices/system/cpu/possible", PseudoKind::Generated, 35, nullptr, 0, CharDevice::Null, one_cpu },
    { "/sys/devices/system/cpu/present", PseudoKind::Generated, 36, nullptr, 0, CharDevice::Null, one_cpu },
};

bool is_pseudo_path(std::string_view path)
{
    return path_is_under(path, "/dev") || path_is_under(path, "/proc") || path_is_under(path, "/sys")
        || path == "/etc/hostname" || path == "/etc/hosts" || path == "/etc/resolv.conf";
}

// /proc/1/... and /proc/self/... are the same process.
std::string_view canonical_pseudo_path(std::string_view path, char* scratch)
{
    if (path_is_under(path, "/proc/1")) {
        size_t n = format(scratch, PATH_CAPACITY, "/proc/self%.*s", static_cast<int>(path.size() - 7), path.data() + 7);
        return std::string_view(scratch, n);
    }
    return path;
}

const PseudoNode* find_pseudo(std::string_view path)
{
    for (const auto& node : PSEUDO_NODES) {
        if (path == node.path)
            return &node;
    }
    return nullptr;
}

Result<File*> generate(const PseudoNode& node)
{
    // Generated text is snapshotted; retry with a bigger buffer until it fits.
    size_t capacity = 16 * 1024;
    for (;;) {
        auto* text = static_cast<char*>(kalloc(capacity));
        if (!text)
            return Errno::NOMEM;
        size_t length = node.generate(text, capacity);
        if (length < capacity) {
            File* file = make<GeneratedFile>(text, length, node.ino);
            if (!file) {
                kfree(text);
                return Errno::NOMEM;
            }
            return file;
        }
        kfree(text);
        if (capacity >= 16 * 1024 * 1024)
            return Errno::NOMEM;
        capacity *= 4;
    }
}

Result<File*> open_pseudo(std::string_view path, uint32_t flags, uint32_t mode)
{
    char scratch[PATH_CAPACITY];
    path = canonical_pseudo_path(path, scratch);
    if (int disk = block_device_index(path); disk >= 0)
        return open_block_device(disk, flags);
    const PseudoNode* node = find_pseudo(path);
    if (!node)
        return (flags & O_CREATE) ? Errno::ACCES : Errno::NOENT;
    if (node->kind == PseudoKind::ExeLink) {
        if (flags & O_NOFOLLOW_FLAG)
            return Errno::LOOP;
        return open(nullptr, g_executable, flags, mode);
    }
    if ((flags & O_DIRECTORY_FLAG) && node->kind != PseudoKind::Directory)
        return Errno::NOTDIR;
    if ((flags & O_CREATE) && (flags & O_EXCLUSIVE))
        return Errno::EXIST;
    bool writable_device = node->kind == PseudoKind::Device;
    if (open_for_writing(flags) && !writable_device)
        return node->kind == PseudoKind::Directory ? Errno::ISDIR : Errno::ACCES;

    File* file = nullptr;
    switch (node->kind) {
    case PseudoKind::Directory:
        file = make<PseudoDirectory>(node->entries, node->entry_count, node->ino);
        break;
    case PseudoKind::Device:
        file = make<CharDeviceFile>(node->device);
        break;
    case PseudoKind::Generated: {
        TRY(File * generated, generate(*node));
        file = generated;
        break;
    }
    case PseudoKind::ExeLink:
        break;
    }
    if (!file)
        return Errno::NOMEM;
    return file;
}

Result<void> stat_pseudo(std::string_view path, Follow follow, LinuxStat& out)
{
    char scratch[PATH_CAPACITY];
    path = canonical_pseudo_path(path, scratch);
    if (int index = block_device_index(path); index >= 0) {
        TRY(File * disk, open_block_device(index, O_READ_ONLY));
        auto r = disk->stat(out);
        disk->release();
        return r;
    }
    const PseudoNode* node = find_pseudo(path);
    if (!node)
        return Errno::NOENT;
    if (node->kind == PseudoKind::ExeLink) {
        if (follow == Follow::Yes)
            return stat(nullptr, g_executable, Follow::Yes, out);
        out = LinuxStat {};
        out.dev = DEVICE_PSEUDO;
        out.ino = node->ino;
        out.nlink = 1;
        out.mode = MODE_SYMLINK | 0777;
        size_t length = 0;
        while (g_executable[length])
            ++length;
        out.size = static_cast<int64_t>(length);
        return {};
    }
    // Open and stat: generated files report the size of a fresh snapshot.
    TRY(File * file, open_pseudo(path, O_READ_ONLY, 0));
    auto r = file->stat(out);
    file->release();
    return r;
}

Result<File*> open_root(std::string_view path, uint32_t flags)
{
    bool follow = !(flags & O_NOFOLLOW_FLAG);
    auto inode = g_root.resolve(path, follow ? erofs::FollowLinks::Yes : erofs::FollowLinks::No);
    if (inode.is_error()) {
        // Creating anything on the read-only root fails the way Linux reports it.
        if (inode.error() == Errno::NOENT && (flags & O_CREATE))
            return Errno::ROFS;
        return inode.error();
    }
    if (inode->is_symlink() && !(flags & O_PATH_FLAG))
        return Errno::LOOP;  // O_NOFOLLOW on a symlink
    if ((flags & O_CREATE) && (flags & O_EXCLUSIVE))
        return Errno::EXIST;
    if ((flags & O_DIRECTORY_FLAG) && !inode->is_directory())
        return Errno::NOTDIR;
    if (inode->is_directory() && open_for_writing(flags))
        return Errno::ISDIR;
    if (open_for_writing(flags) || (flags & O_TRUNCATE))
        return Errno::ROFS;
    File* file = make<RootFile>(g_root, inode.value());
    if (!file)
        return Errno::NOMEM;
    return file;
}

}  // namespace

Result<void> init(std::span<const uint8_t> root_image, const PseudoFileSources& sources)
{
    TRY(g_root, erofs::Erofs::try_open(root_image));
    g_sources = sources;
    return {};
}

const erofs::Erofs& root_filesystem() { return g_root; }

Result<size_t> absolute_path(const char* base, const char* path, char* out, size_t capacity)
{
    return normalize_path(base ? base : g_cwd, path, out, capacity);
}

Result<File*> open(const char* base, const char* path, uint32_t flags, uint32_t mode)
{
    char absolute[PATH_CAPACITY];
    TRY(size_t length, absolute_path(base, path, absolute, sizeof(absolute)));
    std::string_view view(absolute, length);
    // A trailing slash demands a directory, which normalization would hide.
    size_t raw_length = 0;
    while (path[raw_length])
        ++raw_length;
    if (raw_length > 1 && path[raw_length - 1] == '/')
        flags |= O_DIRECTORY_FLAG;

    Result<File*> opened = path_is_under(view, tmpfs::MOUNT_POINT) ? tmpfs::open(view, flags, mode)
        : is_pseudo_path(view)                                     ? open_pseudo(view, flags, mode)
                                                                   : open_root(view, flags);
    TRY(File * file, opened);
    if (auto r = file->set_path(absolute, length); r.is_error()) {
        file->release();
        return r.error();
    }
    file->status_flags = flags & O_STATUS_FLAGS;
    return file;
}

Result<void> stat(const char* base, const char* path, Follow follow, LinuxStat& out)
{
    char absolute[PATH_CAPACITY];
    TRY(size_t length, absolute_path(base, path, absolute, sizeof(absolute)));
    std::string_view view(absolute, length);
    if (path_is_under(view, tmpfs::MOUNT_POINT))
        return tmpfs::stat(view, out);
    if (is_pseudo_path(view))
        return stat_pseudo(view, follow, out);
    TRY(erofs::Inode inode,
        g_root.resolve(view, follow == Follow::Yes ? erofs::FollowLinks::Yes : erofs::FollowLinks::No));
    root_inode_stat(inode, out);
    return {};
}

Result<size_t> readlink(const char* base, const char* path, char* out, size_t capacity)
{
    char absolute[PATH_CAPACITY];
    TRY(size_t length, absolute_path(base, path, absolute, sizeof(absolute)));
    std::string_view view(absolute, length);
    if (path_is_under(view, tmpfs::MOUNT_POINT)) {
        // /tmp holds no symlinks: an existing name is not one (EINVAL), as readlink(2) says.
        LinuxStat st;
        TRY_VOID(tmpfs::stat(view, st));
        return Errno::INVAL;
    }
    if (is_pseudo_path(view)) {
        char scratch[PATH_CAPACITY];
        view = canonical_pseudo_path(view, scratch);
        if (view != "/proc/self/exe")
            return find_pseudo(view) ? Errno::INVAL : Errno::NOENT;
        size_t n = 0;
        while (g_executable[n] && n < capacity) {
            out[n] = g_executable[n];
            ++n;
        }
        return n;
    }
    TRY(erofs::Inode inode, g_root.resolve(view, erofs::FollowLinks::No));
    return g_root.readlink(inode, std::span<char>(out, capacity));
}

Result<void> mkdir(const char* base, const char* path, uint32_t mode)
{
    char absolute[PATH_CAPACITY];
    TRY(size_t length, absolute_path(base, path, absolute, sizeof(absolute)));
    std::string_view view(absolute, length);
    if (path_is_under(view, tmpfs::MOUNT_POINT))
        return tmpfs::mkdir(view, mode);
    LinuxStat st;
    if (!stat(nullptr, absolute, Follow::No, st).is_error())
        return Errno::EXIST;
    return is_pseudo_path(view) ? Errno::ACCES : Errno::ROFS;
}

Result<void> remove(const char* base, const char* path, bool directory)
{
    char absolute[PATH_CAPACITY];
    TRY(size_t length, absolute_path(base, path, absolute, sizeof(absolute)));
    std::string_view view(absolute, length);
    if (path_is_under(view, tmpfs::MOUNT_POINT))
        return tmpfs::remove(view, directory);
    LinuxStat st;
    TRY_VOID(stat(nullptr, absolute, Follow::No, st));
    return is_pseudo_path(view) ? Errno::ACCES : Errno::ROFS;
}

Result<void> rename(const char* from_base, const char* from, const char* to_base, const char* to)
{
    char source[PATH_CAPACITY];
    char target[PATH_CAPACITY];
    TRY(size_t source_length, absolute_path(from_base, from, source, sizeof(source)));
    TRY(size_t target_length, absolute_path(to_base, to, target, sizeof(target)));
    std::string_view source_view(source, source_length), target_view(target, target_length);
    bool source_tmp = path_is_under(source_view, tmpfs::MOUNT_POINT);
    bool target_tmp = path_is_under(target_view, tmpfs::MOUNT_POINT);
    if (source_tmp && target_tmp)
        return tmpfs::rename(source_view, target_view);
    LinuxStat st;
    TRY_VOID(stat(nullptr, source, Follow::No, st));
    // Between filesystems rename(2) says EXDEV; within the read-only root, EROFS.
    return source_tmp != target_tmp ? Errno::XDEV : Errno::ROFS;
}

const char* cwd() { return g_cwd; }

Result<void> chdir(const char* base, const char* path)
{
    char absolute[PATH_CAPACITY];
    TRY(size_t length, absolute_path(base, path, absolute, sizeof(absolute)));
    LinuxStat st;
    TRY_VOID(stat(nullptr, absolute, Follow::Yes, st));
    if ((st.mode & MODE_TYPE_MASK) != MODE_DIRECTORY)
        return Errno::NOTDIR;
    __builtin_memcpy(g_cwd, absolute, length + 1);
    return {};
}

void set_executable_path(const char* path)
{
    size_t n = 0;
    for (; path[n] && n + 1 < sizeof(g_executable); ++n)
        g_executable[n] = path[n];
    g_executable[n] = '\0';
}

}  // namespace kiln::vfs

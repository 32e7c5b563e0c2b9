#include "fs/tmpfs.h"

#include "fs/open_flags.h"
#include "lib/kalloc.h"
#include "time/clock.h"

namespace kiln::tmpfs {
namespace {

constexpr size_t MAX_NAME = 255;
constexpr uint64_t MAX_FILE_SIZE = 1ULL << 32;  // a guard against runaway writes

struct Node {
    char name[MAX_NAME + 1] = {};
    bool directory = false;
    uint32_t mode = 0;
    uint64_t ino = 0;
    Node* parent = nullptr;
    Node* first_child = nullptr;
    Node* next_sibling = nullptr;
    uint8_t* data = nullptr;
    uint64_t size = 0;
    uint64_t capacity = 0;
    uint64_t mtime_ns = 0;
    // Open files keep an unlinked node alive until they close, as on Linux.
    uint32_t open_count = 0;
    bool unlinked = false;
};

Node g_root;
uint64_t g_next_ino = 2;

void free_node(Node* node)
{
    kfree(node->data);
    destroy(node);
}

void detach(Node* node)
{
    Node** link = &node->parent->first_child;
    while (*link != node)
        link = &(*link)->next_sibling;
    *link = node->next_sibling;
    node->next_sibling = nullptr;
    node->parent = nullptr;
}

void attach(Node* parent, Node* node)
{
    node->parent = parent;
    node->next_sibling = parent->first_child;
    parent->first_child = node;
}

Node* child(Node* directory, std::string_view name)
{
    for (Node* n = directory->first_child; n; n = n->next_sibling) {
        if (name == n->name)
            return n;
    }
    return nullptr;
}

Node* root()
{
    if (g_root.ino == 0) {
        g_root.directory = true;
        g_root.mode = MODE_DIRECTORY | 01777;
        g_root.ino = 1;
        g_root.mtime_ns = realtime_ns();
    }
    return &g_root;
}

// Splits "/tmp/a/b" into the parent folder node ("/tmp/a") and the last name ("b").
// The mount point itself has no parent: returns the root with an empty name.
Result<Node*> parent_of(std::string_view path, std::string_view& name)
{
    std::string_view rest(path.data() + MOUNT_POINT.size(), path.size() - MOUNT_POINT.size());
    Node* node = root();
    name = {};
    size_t i = 0;
    while (i < rest.size()) {
        while (i < rest.size() && rest[i] == '/')
            ++i;
        size_t start = i;
        while (i < rest.size() && rest[i] != '/')
            ++i;
        std::string_view component(rest.data() + start, i - start);
        if (component.empty())
            break;
        if (component.size() > MAX_NAME)
            return Errno::NAMETOOLONG;
        if (i >= rest.size()) {
            name = component;
            return node;
        }
        node = child(node, component);
        if (!node)
            return Errno::NOENT;
        if (!node->directory)
            return Errno::NOTDIR;
    }
    return node;
}

Result<Node*> lookup(std::string_view path)
{
    std::string_view name;
    TRY(Node * parent, parent_of(path, name));
    if (name.empty())
        return parent;
    Node* node = child(parent, name);
    if (!node)
        return Errno::NOENT;
    return node;
}

Result<Node*> create(Node* parent, std::string_view name, bool directory, uint32_t mode)
{
    Node* node = make<Node>();
    if (!node)
        return Errno::NOMEM;
    __builtin_memcpy(node->name, name.data(), name.size());
    node->directory = directory;
    node->mode = (directory ? MODE_DIRECTORY : MODE_REGULAR) | (mode & 07777);
    node->ino = g_next_ino++;
    node->mtime_ns = realtime_ns();
    attach(parent, node);
    return node;
}

void fill_stat(const Node& node, LinuxStat& out)
{
    out = LinuxStat {};
    out.dev = DEVICE_TMP;
    out.ino = node.ino;
    out.nlink = node.directory ? 2 : 1;
    out.mode = node.mode;
    out.size = static_cast<int64_t>(node.size);
    out.blksize = 4096;
    out.blocks = static_cast<int64_t>((node.capacity + 511) / 512);
    out.atime_sec = out.mtime_sec = out.ctime_sec = static_cast<int64_t>(node.mtime_ns / 1000000000);
    out.atime_nsec = out.mtime_nsec = out.ctime_nsec = static_cast<int64_t>(node.mtime_ns % 1000000000);
}

Result<void> resize(Node& node, uint64_t size)
{
    if (size > MAX_FILE_SIZE)
        return Errno::FBIG;
    if (size > node.capacity) {
        uint64_t capacity = node.capacity ? node.capacity : 256;
        while (capacity < size)
            capacity *= 2;
        auto* data = static_cast<uint8_t*>(kalloc(capacity));
        if (!data)
            return Errno::NOSPC;
        if (node.size)
            __builtin_memcpy(data, node.data, node.size);
        kfree(node.data);
        node.data = data;
        node.capacity = capacity;
    }
    if (size > node.size)
        __builtin_memset(node.data + node.size, 0, size - node.size);
    node.size = size;
    return {};
}

class TmpFile final : public File {
public:
    explicit TmpFile(Node* node) : m_node(node) { ++m_node->open_count; }
    ~TmpFile() override
    {
        if (--m_node->open_count == 0 && m_node->unlinked)
            free_node(m_node);
    }

    Result<size_t> read(uint64_t offset, const IoBuffer& buffer) override
    {
        if (m_node->directory)
            return Errno::ISDIR;
        if (offset >= m_node->size)
            return 0;
        size_t n = m_node->size - offset < buffer.length() ? m_node->size - offset : buffer.length();
        TRY_VOID(buffer.write(0, m_node->data + offset, n));
        return n;
    }

    Result<size_t> write(uint64_t offset, const IoBuffer& buffer) override
    {
        if (m_node->directory)
            return Errno::ISDIR;
        uint64_t end;
        if (__builtin_add_overflow(offset, buffer.length(), &end))
            return Errno::FBIG;
        if (end > m_node->size)
            TRY_VOID(resize(*m_node, end));
        TRY_VOID(buffer.read(0, m_node->data + offset, buffer.length()));
        m_node->mtime_ns = realtime_ns();
        return buffer.length();
    }

    Result<void> stat(LinuxStat& out) const override
    {
        fill_stat(*m_node, out);
        return {};
    }
    uint64_t size() const override { return m_node->size; }
    bool is_directory() const override { return m_node->directory; }
    Result<void> truncate(uint64_t length) override
    {
        if (m_node->directory)
            return Errno::ISDIR;
        return resize(*m_node, length);
    }

    Result<uint64_t> read_directory(uint64_t cookie, EntryVisitor visit, void* context) override
    {
        if (!m_node->directory)
            return Errno::NOTDIR;
        // Cookies count entries: ".", "..", then the children in list order.
        uint64_t index = 0;
        auto offer = [&](const char* name, size_t length, uint64_t ino, uint8_t type) {
            if (index++ < cookie)
                return true;
            return visit(context, DirectoryEntry { name, length, ino, type, index });
        };
        if (!offer(".", 1, m_node->ino, 4))
            return index - 1;
        if (!offer("..", 2, m_node->parent ? m_node->parent->ino : m_node->ino, 4))
            return index - 1;
        for (Node* n = m_node->first_child; n; n = n->next_sibling) {
            size_t length = 0;
            while (n->name[length])
                ++length;
            if (!offer(n->name, length, n->ino, n->directory ? 4 : 8))
                return index - 1;
        }
        return index;
    }

private:
    Node* m_node;
};

}  // namespace

Result<File*> open(std::string_view path, uint32_t flags, uint32_t mode)
{
    std::string_view name;
    TRY(Node * parent, parent_of(path, name));
    Node* node = name.empty() ? parent : child(parent, name);
    if (!node) {
        if (!(flags & O_CREATE))
            return Errno::NOENT;
        if (flags & O_DIRECTORY_FLAG)
            return Errno::INVAL;
        TRY(node, create(parent, name, false, mode));
    } else if ((flags & O_CREATE) && (flags & O_EXCLUSIVE)) {
        return Errno::EXIST;
    }
    if ((flags & O_DIRECTORY_FLAG) && !node->directory)
        return Errno::NOTDIR;
    if (node->directory && open_for_writing(flags))
        return Errno::ISDIR;
    if ((flags & O_TRUNCATE) && open_for_writing(flags) && !node->directory)
        TRY_VOID(resize(*node, 0));
    File* file = make<TmpFile>(node);
    if (!file)
        return Errno::NOMEM;
    return file;
}

Result<void> stat(std::string_view path, LinuxStat& out)
{
    TRY(Node * node, lookup(path));
    fill_stat(*node, out);
    return {};
}

Result<void> mkdir(std::string_view path, uint32_t mode)
{
    std::string_view name;
    TRY(Node * parent, parent_of(path, name));
    if (name.empty() || child(parent, name))
        return Errno::EXIST;
    TRY_VOID(create(parent, name, true, mode));
    return {};
}

Result<void> remove(std::string_view path, bool directory)
{
    std::string_view name;
    TRY(Node * parent, parent_of(path, name));
    if (name.empty())
        return Errno::BUSY;  // the mount point itself
    Node* node = child(parent, name);
    if (!node)
        return Errno::NOENT;
    if (directory && !node->directory)
        return Errno::NOTDIR;
    if (!directory && node->directory)
        return Errno::ISDIR;
    if (node->directory && node->first_child)
        return Errno::NOTEMPTY;
    detach(node);
    if (node->open_count == 0)
        free_node(node);
    else
        node->unlinked = true;
    return {};
}

Result<void> rename(std::string_view from, std::string_view to)
{
    std::string_view from_name, to_name;
    TRY(Node * from_parent, parent_of(from, from_name));
    TRY(Node * to_parent, parent_of(to, to_name));
    if (from_name.empty() || to_name.empty())
        return Errno::BUSY;
    Node* node = child(from_parent, from_name);
    if (!node)
        return Errno::NOENT;
    // A folder cannot move into itself or below itself.
    for (Node* n = to_parent; n; n = n->parent) {
        if (n == node)
            return Errno::INVAL;
    }
    if (Node* existing = child(to_parent, to_name)) {
        if (existing == node)
            return {};
        if (existing->directory != node->directory)
            return existing->directory ? Errno::ISDIR : Errno::NOTDIR;
        if (existing->directory && existing->first_child)
            return Errno::NOTEMPTY;
        TRY_VOID(remove(to, existing->directory));
    }
    detach(node);
    __builtin_memset(node->name, 0, sizeof(node->name));
    __builtin_memcpy(node->name, to_name.data(), to_name.size());
    attach(to_parent, node);
    return {};
}

}  // namespace kiln::tmpfs

// Path resolution over an EROFS tree, with Linux's rules (path_resolution(7)):
// absolute paths start at the root, "." stays, ".." is the directory's own ".." entry
// (the root's points at itself, so ".." never climbs out), intermediate symlinks are
// always followed, the last one only on request or when a '/' follows it.
//
// No heap: symlink targets are views into the image, so the walk keeps a stack of
// string_views for "the rest of the path after this symlink". Each symlink followed
// pushes at most one entry, so MAX_SYMLINK_FOLLOWS bounds the stack.

#include <array>

#include "fs/erofs/erofs.h"
#include "fs/erofs/erofs_util.h"

namespace kiln::erofs {

namespace {

// string_view::substr and find may throw or call into libc; the kernel has neither,
// so the walk slices views by hand.
std::string_view drop_front(std::string_view path, size_t count)
{
    return {path.data() + count, path.size() - count};
}

std::string_view skip_slashes(std::string_view path)
{
    size_t i = 0;
    while (i < path.size() && path[i] == '/')
        ++i;
    return drop_front(path, i);
}

size_t component_length(std::string_view path)
{
    size_t i = 0;
    while (i < path.size() && path[i] != '/')
        ++i;
    return i;
}

bool is_dot(std::string_view name) { return name.size() == 1 && name[0] == '.'; }

class PendingPaths {
public:
    bool empty() const { return m_count == 0; }
    void push(std::string_view rest) { m_stack[m_count++] = rest; }
    std::string_view pop() { return m_stack[--m_count]; }

private:
    std::array<std::string_view, MAX_SYMLINK_FOLLOWS> m_stack {};
    size_t m_count = 0;
};

}  // namespace

Result<Inode> Erofs::resolve(std::string_view path, FollowLinks follow) const
{
    TRY(Inode root_inode, root());
    return resolve_at(root_inode, path, follow);
}

Result<Inode> Erofs::resolve_at(const Inode& start, std::string_view path, FollowLinks follow) const
{
    if (path.empty())
        return Errno::NOENT;
    if (path.size() >= MAX_PATH_LENGTH)
        return Errno::NAMETOOLONG;

    Inode directory = start;
    if (path[0] == '/') {
        TRY(directory, root());
    }
    if (!directory.is_directory())
        return Errno::NOTDIR;

    PendingPaths pending;
    unsigned follows = 0;
    // Set when a symlink that ends the path was followed from "link/": its target
    // must then resolve to a directory, as if the '/' had been written after it.
    bool must_be_directory = false;
    std::string_view remaining = path;

    for (;;) {
        remaining = skip_slashes(remaining);
        if (remaining.empty()) {
            if (pending.empty())
                return directory;
            remaining = pending.pop();
            continue;
        }

        size_t length = component_length(remaining);
        std::string_view name(remaining.data(), length);
        std::string_view rest = drop_front(remaining, length);
        bool slash_follows = !rest.empty();
        bool last = skip_slashes(rest).empty() && pending.empty();
        if (name.size() > format::NAME_LEN)
            return Errno::NAMETOOLONG;

        if (is_dot(name)) {
            remaining = rest;
            continue;
        }

        TRY(Inode child, lookup(directory, name));

        if (child.is_symlink() && (!last || follow == FollowLinks::Yes || slash_follows || must_be_directory)) {
            if (++follows > MAX_SYMLINK_FOLLOWS)
                return Errno::LOOP;
            TRY(std::string_view target, symlink_target(child));
            if (!skip_slashes(rest).empty())
                pending.push(rest);
            else if (slash_follows && pending.empty())
                must_be_directory = true;
            if (target[0] == '/') {
                TRY(directory, root());
            }
            remaining = target;
            continue;
        }

        if (last) {
            if ((slash_follows || must_be_directory) && !child.is_directory())
                return Errno::NOTDIR;
            return child;
        }
        if (!child.is_directory())
            return Errno::NOTDIR;
        directory = child;
        remaining = rest;
    }
}

}  // namespace kiln::erofs

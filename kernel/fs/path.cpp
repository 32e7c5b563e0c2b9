#include "fs/path.h"

namespace kiln {

Result<size_t> normalize_path(std::string_view cwd, std::string_view path, char* out, size_t capacity)
{
    if (path.empty())
        return Errno::NOENT;
    if (capacity < 2)
        return Errno::NAMETOOLONG;
    size_t length = 0;
    out[length++] = '/';

    // Appends the components of one path to out, resolving "." and "..".
    auto append = [&](std::string_view p) -> bool {
        size_t i = 0;
        while (i < p.size()) {
            while (i < p.size() && p[i] == '/')
                ++i;
            size_t start = i;
            while (i < p.size() && p[i] != '/')
                ++i;
            std::string_view component(p.data() + start, i - start);
            if (component.empty() || component == ".")
                continue;
            if (component == "..") {
                // Back to the previous slash; ".." of the root is the root.
                while (length > 1 && out[length - 1] != '/')
                    --length;
                if (length > 1)
                    --length;
                continue;
            }
            if (length > 1) {
                if (length + 1 >= capacity)
                    return false;
                out[length++] = '/';
            }
            if (length + component.size() >= capacity)
                return false;
            for (char c : component)
                out[length++] = c;
        }
        return true;
    };

    if (path[0] != '/' && !append(cwd))
        return Errno::NAMETOOLONG;
    if (!append(path))
        return Errno::NAMETOOLONG;
    out[length] = '\0';
    return length;
}

bool path_is_under(std::string_view path, std::string_view prefix)
{
    // (string_view::substr could throw, which the kernel cannot link.)
    if (path.size() < prefix.size() || std::string_view(path.data(), prefix.size()) != prefix)
        return false;
    return path.size() == prefix.size() || path[prefix.size()] == '/' || prefix == "/";
}

}  // namespace kiln

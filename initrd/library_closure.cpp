#include "library_closure.h"

#include <deque>
#include <fstream>
#include <iterator>
#include <set>

#include "exec/elf.h"
#include "exec/elf_dynamic.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

// The whole file in one read: these are large (libnode is 45 MiB) and are read on
// every `kiln run`/`kiln build`, including the up-to-date check.
std::optional<std::vector<uint8_t>> read_bytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in)
        return std::nullopt;
    std::streamoff size = in.tellg();
    if (size < 0)
        return std::nullopt;
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.seekg(0);
    if (!in.read(reinterpret_cast<char*>(bytes.data()), size))
        return std::nullopt;
    return bytes;
}

// What the closure walk needs from one ELF object on the host.
struct ObjectInfo {
    std::string soname;
    std::vector<std::string> needed;
    std::optional<std::string> interpreter;
    std::optional<std::string> rpath; // only when there is no DT_RUNPATH (glibc ignores it then)
    std::optional<std::string> runpath;
};

std::optional<ObjectInfo> read_object(const fs::path& path, std::string& error)
{
    auto read = read_bytes(path);
    if (!read) {
        error = "cannot read " + path.string();
        return std::nullopt;
    }
    const std::vector<uint8_t>& bytes = *read;
    auto elf = exec::ElfImage::try_parse(bytes);
    if (!elf) {
        error = path.string() + " is not an x86-64 ELF executable or library";
        return std::nullopt;
    }
    auto dynamic = exec::ElfDynamic::try_parse(*elf);
    if (!dynamic) {
        error = path.string() + ": malformed dynamic section";
        return std::nullopt;
    }
    ObjectInfo info;
    info.soname = std::string(dynamic->soname().value_or(""));
    for (size_t i = 0; i < dynamic->needed_count(); ++i)
        info.needed.emplace_back(dynamic->needed(i));
    if (auto interp = elf->interpreter())
        info.interpreter = std::string(*interp);
    if (auto runpath = dynamic->runpath())
        info.runpath = std::string(*runpath);
    else if (auto rpath = dynamic->rpath())
        info.rpath = std::string(*rpath);
    return info;
}

// ld.so skips candidates that are not loadable on this machine (wrong class or
// architecture, e.g. i386 libraries in /usr/lib32) and keeps looking.
bool loadable_library(const fs::path& path)
{
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        return false;
    auto bytes = read_bytes(path);
    if (!bytes)
        return false;
    auto elf = exec::ElfImage::try_parse(*bytes);
    return elf && elf->type() == exec::ElfType::SharedObject;
}

// One object in the walk: where it was found (its $ORIGIN) and who loaded it.
struct Node {
    fs::path found_at;
    std::string display;
    ObjectInfo info;
    int loader; // index into the node list, -1 for the executable
};

} // namespace

ClosureResult resolve_library_closure(const fs::path& executable, const SearchConfig& config)
{
    std::error_code ec;
    fs::path exe = fs::canonical(executable, ec);
    if (ec)
        return { std::nullopt, executable.string() + ": " + ec.message() };
    std::string error;
    auto exe_info = read_object(exe, error);
    if (!exe_info)
        return { std::nullopt, error };

    LibraryClosure closure;
    // Names that already stand for a loaded object: the loader matches a DT_NEEDED
    // against the names objects were loaded by and their sonames (glibc _dl_name_match_p).
    std::set<std::string> loaded;
    if (exe_info->interpreter) {
        Interpreter interp;
        interp.path = *exe_info->interpreter;
        interp.file = fs::canonical(interp.path, ec);
        if (ec)
            return { std::nullopt, "interpreter " + interp.path + " (needed by " + exe.string() + ") not found" };
        auto info = read_object(interp.file, error);
        if (!info)
            return { std::nullopt, error };
        interp.soname = info->soname.empty() ? fs::path(interp.path).filename().string() : info->soname;
        loaded.insert(interp.soname);
        loaded.insert(interp.path);
        closure.interpreter = interp;
    }

    std::vector<Node> nodes { { exe, exe.filename().string(), *exe_info, -1 } };
    std::deque<size_t> queue { 0 };
    while (!queue.empty()) {
        size_t current = queue.front();
        queue.pop_front();
        for (const std::string& name : nodes[current].info.needed) {
            if (loaded.count(name))
                continue;
            if (name.find('/') != std::string::npos)
                return { std::nullopt,
                    nodes[current].display + " needs " + name + " by path, which the image cannot reproduce" };

            std::vector<fs::path> dirs;
            auto add = [&](const std::optional<std::string>& value, const fs::path& origin) {
                if (value) {
                    auto expanded = expand_search_path(*value, origin.parent_path());
                    dirs.insert(dirs.end(), expanded.begin(), expanded.end());
                }
            };
            const ObjectInfo& needer = nodes[current].info;
            if (!needer.runpath) {
                // Every chain of loaders ends at the executable, so this also covers
                // glibc's "then the executable's DT_RPATH" step.
                for (int n = static_cast<int>(current); n >= 0; n = nodes[n].loader)
                    add(nodes[n].info.rpath, nodes[n].found_at);
            }
            add(needer.runpath, nodes[current].found_at);
            dirs.insert(dirs.end(), config.conf_dirs.begin(), config.conf_dirs.end());
            dirs.insert(dirs.end(), config.default_dirs.begin(), config.default_dirs.end());

            std::optional<fs::path> found;
            for (const fs::path& dir : dirs) {
                if (loadable_library(dir / name)) {
                    found = dir / name;
                    break;
                }
            }
            if (!found)
                return { std::nullopt,
                    "library " + name + " (needed by " + nodes[current].display
                        + ") not found; install it or fix the RUNPATH of " + nodes[current].display };

            auto info = read_object(*found, error);
            if (!info)
                return { std::nullopt, error };
            SharedLibrary library;
            library.name = name;
            library.soname = info->soname.empty() ? name : info->soname;
            library.file = fs::canonical(*found, ec);
            library.needed_by = nodes[current].display;
            loaded.insert(name);
            loaded.insert(library.soname);
            closure.libraries.push_back(library);
            nodes.push_back({ *found, name, *info, static_cast<int>(current) });
            queue.push_back(nodes.size() - 1);
        }
    }
    return { closure, {} };
}

} // namespace kiln::initrd

#include "library_search.h"

#include <glob.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s)
{
    size_t start = s.find_first_not_of(" \t\r");
    if (start == std::string::npos)
        return {};
    size_t end = s.find_last_not_of(" \t\r");
    return s.substr(start, end - start + 1);
}

void read_conf(const fs::path& conf, std::vector<fs::path>& dirs, int depth)
{
    // ldconfig refuses include loops the same way: by giving up after a few levels.
    if (depth > 8)
        return;
    std::ifstream in(conf);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line.substr(0, line.find('#')));
        if (line.empty() || line.starts_with("hwcap "))
            continue;
        if (line.starts_with("include ") || line.starts_with("include\t")) {
            std::istringstream patterns(line.substr(8));
            std::string pattern;
            while (patterns >> pattern) {
                // Relative include patterns are relative to the including file's folder.
                fs::path full = fs::path(pattern).is_absolute() ? fs::path(pattern) : conf.parent_path() / pattern;
                glob_t matches {};
                if (glob(full.c_str(), 0, nullptr, &matches) == 0) {
                    for (size_t i = 0; i < matches.gl_pathc; ++i)
                        read_conf(matches.gl_pathv[i], dirs, depth + 1);
                }
                globfree(&matches);
            }
            continue;
        }
        // Old ldconfig syntax allowed "dir=TYPE"; the folder is the part before '='.
        dirs.emplace_back(trim(line.substr(0, line.find('='))));
    }
}

} // namespace

std::vector<fs::path> read_ld_so_conf(const fs::path& conf)
{
    std::vector<fs::path> dirs;
    read_conf(conf, dirs, 0);
    return dirs;
}

SearchConfig SearchConfig::host()
{
    SearchConfig config;
    config.conf_dirs = read_ld_so_conf("/etc/ld.so.conf");
    config.default_dirs = { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64" };
    return config;
}

std::vector<fs::path> expand_search_path(std::string_view value, const fs::path& origin)
{
    // ld.so(8) "Dynamic string tokens"; Debian's glibc sets $LIB to the multiarch folder.
    const std::pair<std::string_view, std::string> tokens[] = {
        { "ORIGIN", origin.string() },
        { "LIB", "lib/x86_64-linux-gnu" },
        { "PLATFORM", "x86_64" },
    };
    std::vector<fs::path> dirs;
    size_t start = 0;
    while (start <= value.size()) {
        size_t end = value.find(':', start);
        if (end == std::string_view::npos)
            end = value.size();
        std::string_view entry = value.substr(start, end - start);
        std::string expanded;
        for (size_t i = 0; i < entry.size();) {
            bool replaced = false;
            if (entry[i] == '$') {
                for (const auto& [name, replacement] : tokens) {
                    std::string braced = "{" + std::string(name) + "}";
                    std::string_view rest = entry.substr(i + 1);
                    // A bare token ends where the identifier does ($ORIGINAL is not $ORIGIN).
                    bool bare = rest.starts_with(name)
                        && (rest.size() == name.size()
                            || !(std::isalnum(static_cast<unsigned char>(rest[name.size()]))
                                || rest[name.size()] == '_'));
                    if (rest.starts_with(braced) || bare) {
                        expanded += replacement;
                        i += 1 + (rest.starts_with(braced) ? braced.size() : name.size());
                        replaced = true;
                        break;
                    }
                }
            }
            if (!replaced)
                expanded += entry[i++];
        }
        if (!expanded.empty())
            dirs.emplace_back(expanded);
        start = end + 1;
    }
    return dirs;
}

} // namespace kiln::initrd

#include "pack_list.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

#include "ignore_rules.h"

namespace kiln::initrd {

namespace fs = std::filesystem;

namespace {

// npm-packlist's `defaults`: applied to every folder except the root of an installed
// package.
constexpr const char* DEFAULT_RULES[] = {
    ".npmignore",
    ".gitignore",
    "**/.git",
    "**/.svn",
    "**/.hg",
    "**/CVS",
    "**/.git/**",
    "**/.svn/**",
    "**/.hg/**",
    "**/CVS/**",
    "/.lock-wscript",
    "/.wafpickle-*",
    "/build/config.gypi",
    "npm-debug.log",
    "**/.npmrc",
    ".*.swp",
    ".DS_Store",
    "**/.DS_Store/**",
    "._*",
    "**/._*/**",
    "*.orig",
    "/archived-packages/**",
    // Kiln's own: the ignore file is configuration, like .npmignore.
    ".kilnignore",
};

// npm-packlist's strict rules at a package root: applied last, so they win.
constexpr const char* STRICT_RULES[] = {
    "/.git",
    "!/package.json",
    "!/readme{,.*[^~$]}",
    "!/copying{,.*[^~$]}",
    "!/license{,.*[^~$]}",
    "!/licence{,.*[^~$]}",
    "/.git",
    "/node_modules",
    ".npmrc",
    "/package-lock.json",
    "/yarn.lock",
    "/pnpm-lock.yaml",
    "/bun.lockb",
};

struct RuleSet {
    std::string name; // for "left out by" messages
    std::vector<IgnoreRule> rules;
};

// The rules of one folder level, in the order ignore-walk applies them.
struct Level {
    std::string prefix; // this folder relative to the package root, "" or "lib/"
    std::vector<RuleSet> sets;
    bool exact = true; // included in its own right, so its rules may re-include
};

void add_rules(RuleSet& set, const std::string& pattern)
{
    for (IgnoreRule& rule : IgnoreRule::parse(pattern))
        set.rules.push_back(std::move(rule));
}

std::optional<std::string> read_text(const fs::path& file)
{
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string strip_dot_slash(std::string path)
{
    while (path.size() >= 2 && path.compare(0, 2, "./") == 0)
        path.erase(0, 2);
    return path;
}

class Walker {
public:
    Walker(const fs::path& root, const PackageJson& package, PackRules rules)
        : m_root(root)
        , m_package(package)
        , m_rules(rules)
    {
    }

    PackList run()
    {
        Level top = root_level();
        m_levels.push_back(std::move(top));
        walk(m_root, "");
        std::sort(m_list.entries.begin(), m_list.entries.end(),
            [](const PackedEntry& a, const PackedEntry& b) { return a.path < b.path; });
        return std::move(m_list);
    }

private:
    // Defaults, then .npmignore (or else .gitignore), then .kilnignore, from `dir`.
    void add_ignore_files(Level& level, const fs::path& dir, bool with_defaults, bool with_ignore_files)
    {
        if (with_defaults) {
            RuleSet defaults { "npm's default exclusions", {} };
            for (const char* pattern : DEFAULT_RULES)
                add_rules(defaults, pattern);
            level.sets.push_back(std::move(defaults));
        }
        if (with_ignore_files) {
            for (const char* file : { ".npmignore", ".gitignore" }) {
                if (auto text = read_text(dir / file)) {
                    level.sets.push_back({ level.prefix + file, IgnoreRule::parse_lines(*text) });
                    break; // .npmignore replaces .gitignore
                }
            }
        }
        if (auto text = read_text(dir / ".kilnignore"))
            level.sets.push_back({ level.prefix + ".kilnignore", IgnoreRule::parse_lines(*text) });
    }

    Level root_level()
    {
        Level level;
        bool linked_or_app = m_rules != PackRules::Installed;
        // With a "files" list, the root's .npmignore and .gitignore do not apply.
        bool has_files = m_package.files.has_value();
        add_ignore_files(level, m_root, linked_or_app, linked_or_app && !has_files);

        RuleSet strict { "npm's always-included and always-excluded files", {} };
        if (has_files) {
            // npm-packlist processPackage(): "*" excludes everything, then each entry
            // re-includes; an existing file is a strict requirement, a folder includes
            // its contents, anything else is a pattern.
            RuleSet files { "package.json \"files\"", {} };
            add_rules(files, "*");
            for (std::string entry : *m_package.files) {
                if (entry.size() >= 2 && entry.compare(0, 2, "./") == 0)
                    entry.erase(0, 1);
                if (entry.size() >= 2 && entry.compare(entry.size() - 2, 2, "/*") == 0)
                    entry += '*';
                std::string bare = entry;
                while (!bare.empty() && bare[0] == '!')
                    bare.erase(0, 1);
                std::error_code ec;
                fs::file_status status = fs::symlink_status(m_root / fs::path(bare).relative_path(), ec);
                if (!ec && fs::is_regular_file(status)) {
                    add_rules(strict, "!" + entry);
                    std::string required = entry[0] == '/' ? entry.substr(1) : entry;
                    m_required.push_back(strip_dot_slash(required));
                } else if (!ec && fs::is_directory(status)) {
                    add_rules(files, "!" + entry);
                    add_rules(files, "!" + entry + "/**");
                } else if (ec) {
                    add_rules(files, "!" + entry);
                }
            }
            // package.json rules come right after the defaults.
            level.sets.insert(level.sets.begin() + (linked_or_app ? 1 : 0), std::move(files));
        }
        for (const char* pattern : STRICT_RULES)
            add_rules(strict, pattern);
        if (m_package.browser)
            add_rules(strict, "!/" + strip_dot_slash(*m_package.browser));
        if (m_package.main)
            add_rules(strict, "!/" + strip_dot_slash(*m_package.main));
        for (const std::string& bin : m_package.bin)
            add_rules(strict, "!/" + strip_dot_slash(bin));
        level.sets.push_back(std::move(strict));
        return level;
    }

    // ignore-walk's filterEntry over every level from the package root down.
    bool included(const std::string& path, IgnoreRule::Mode mode, std::string* decided_by) const
    {
        bool in = true;
        for (size_t i = 0; i < m_levels.size(); ++i) {
            const Level& level = m_levels[i];
            if (i > 0 && !in && !level.exact)
                return false;
            std::string relative = path.substr(level.prefix.size());
            for (const RuleSet& set : level.sets) {
                for (const IgnoreRule& rule : set.rules) {
                    if (rule.negated() == in)
                        continue;
                    IgnoreRule::Mode rule_mode = mode;
                    if (mode == IgnoreRule::Mode::Partial && !rule.negated())
                        rule_mode = IgnoreRule::Mode::Folder;
                    if (rule.matches(relative, rule_mode)) {
                        in = rule.negated();
                        if (decided_by)
                            *decided_by = set.name;
                    }
                }
            }
        }
        return in;
    }

    static bool holds_kiln_image(const fs::path& dir)
    {
        std::error_code ec;
        return fs::is_regular_file(dir / "root.erofs", ec) && fs::is_regular_file(dir / "manifest.json", ec);
    }

    void leave_out(const std::string& path, const std::string& reason) { m_list.left_out.push_back({ path, reason }); }

    void walk(const fs::path& dir, const std::string& prefix)
    {
        std::error_code ec;
        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            entries.push_back(*it);
        if (ec) {
            m_list.error = "cannot list " + dir.string() + ": " + ec.message();
            return;
        }
        std::sort(entries.begin(), entries.end());
        for (const fs::directory_entry& entry : entries) {
            if (!m_list.error.empty())
                return;
            std::string name = entry.path().filename().string();
            std::string path = prefix + name;
            fs::file_status status = entry.symlink_status(ec);
            std::string why;
            if (fs::is_directory(status)) {
                bool as_folder = included(path, IgnoreRule::Mode::Partial, &why);
                if (!as_folder) {
                    leave_out(path + "/", "excluded by " + why);
                    continue;
                }
                if (holds_kiln_image(entry.path())) {
                    leave_out(path + "/", "a built Kiln image");
                    continue;
                }
                Level level;
                level.prefix = path + "/";
                level.exact = included(path, IgnoreRule::Mode::File, nullptr)
                    || included(path, IgnoreRule::Mode::Folder, nullptr);
                // Subfolders always get the defaults and their own ignore files
                // (npm-packlist walkerOpt), and the strict "/.git" plus the "files"
                // entries that lie inside them.
                add_ignore_files(level, entry.path(), true, true);
                RuleSet strict { "npm's always-included and always-excluded files", {} };
                add_rules(strict, "/.git");
                for (const std::string& required : m_required)
                    if (required.compare(0, level.prefix.size(), level.prefix) == 0)
                        add_rules(strict, "!/" + required.substr(level.prefix.size()));
                level.sets.push_back(std::move(strict));
                m_levels.push_back(std::move(level));
                walk(entry.path(), path + "/");
                m_levels.pop_back();
                continue;
            }
            if (!included(path, IgnoreRule::Mode::File, &why)) {
                leave_out(path, "excluded by " + why);
                continue;
            }
            if (fs::is_symlink(status)) {
                fs::path target = fs::read_symlink(entry.path(), ec);
                fs::path resolved = (fs::path(prefix) / target).lexically_normal();
                if (ec || target.is_absolute() || resolved.empty() || *resolved.begin() == "..") {
                    leave_out(path, "a symlink that points outside the package (" + target.string() + ")");
                    continue;
                }
                m_list.entries.push_back({ path, true, target.string() });
            } else if (fs::is_regular_file(status)) {
                m_list.entries.push_back({ path, false, {} });
            } else {
                m_list.error = entry.path().string() + " is not a file, folder or symlink; an image cannot hold it";
            }
        }
    }

    fs::path m_root;
    const PackageJson& m_package;
    PackRules m_rules;
    std::vector<Level> m_levels;
    std::vector<std::string> m_required;
    PackList m_list;
};

} // namespace

PackList pack_package(const fs::path& dir, const PackageJson& package, PackRules rules)
{
    return Walker(dir, package, rules).run();
}

} // namespace kiln::initrd

#pragma once

// Ignore rules as npm applies them when it packs a package (npm-packlist on top of
// ignore-walk and minimatch with {matchBase, dot, nocase, flipNegate}): the lines of
// .npmignore / .gitignore / .kilnignore, the "files" list turned into negated rules,
// and npm's built-in defaults.
//
// A rule is a glob relative to the folder whose rule set holds it:
//   - `!` at the start re-includes what earlier rules excluded;
//   - a trailing `/` makes it match folders only;
//   - a pattern with a `/` (other than a trailing one) is anchored at that folder
//     (`/build`, `lib/*.js`); one without matches the last path component at any
//     depth (`*.log`, `test/`);
//   - `*`, `?`, `[a-z]`/`[^...]`/`[!...]` match within one component, `**` matches
//     any number of components, `{a,b}` alternatives are expanded; matching ignores
//     case and `*` matches leading dots.
// Rules are applied in order and the last one that matches an entry decides.

#include <string>
#include <string_view>
#include <vector>

namespace kiln::initrd {

class IgnoreRule {
public:
    // One pattern (a line of an ignore file); brace alternatives give several rules.
    // Blank lines and `#` comments give none.
    static std::vector<IgnoreRule> parse(std::string_view pattern);
    // Every line of an ignore file.
    static std::vector<IgnoreRule> parse_lines(std::string_view text);

    bool negated() const { return m_negate; }

    enum class Mode {
        File, // the entry is a file
        Folder, // the entry is a folder: folder-only rules match too
        Partial, // a folder that may hold something this rule matches (negated rules)
    };
    // `path` is relative to the folder that holds the rule, '/'-separated, no leading '/'.
    bool matches(std::string_view path, Mode mode) const;

private:
    bool m_negate = false;
    bool m_folder_only = false;
    bool m_anchored = false;
    std::vector<std::string> m_segments;
};

// True when the glob `pattern` (one path component, no '/') matches `name`,
// case-insensitively; exposed for tests.
bool glob_component_matches(std::string_view pattern, std::string_view name);

} // namespace kiln::initrd

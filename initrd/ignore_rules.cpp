#include "ignore_rules.h"

#include <cctype>

namespace kiln::initrd {

namespace {

char fold(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// `[...]` at pattern[i] (i points at '['): whether `c` is in the class, and where the
// class ends. An unterminated '[' is an ordinary character, as in minimatch.
bool match_class(std::string_view pattern, size_t& i, char c, bool& matched)
{
    size_t j = i + 1;
    bool negate = j < pattern.size() && (pattern[j] == '!' || pattern[j] == '^');
    if (negate)
        ++j;
    size_t first = j;
    bool found = false;
    while (j < pattern.size() && (pattern[j] != ']' || j == first)) {
        char low = pattern[j];
        if (low == '\\' && j + 1 < pattern.size())
            low = pattern[++j];
        char high = low;
        if (j + 2 < pattern.size() && pattern[j + 1] == '-' && pattern[j + 2] != ']') {
            high = pattern[j + 2];
            j += 2;
        }
        if (fold(c) >= fold(low) && fold(c) <= fold(high))
            found = true;
        ++j;
    }
    if (j >= pattern.size())
        return false; // no closing ']'
    matched = found != negate;
    i = j + 1;
    return true;
}

bool component_matches(std::string_view pattern, std::string_view name)
{
    size_t p = 0, n = 0;
    size_t star_p = std::string_view::npos, star_n = 0;
    while (n < name.size()) {
        if (p < pattern.size()) {
            char pc = pattern[p];
            if (pc == '*') {
                star_p = p++;
                star_n = n;
                continue;
            }
            if (pc == '?') {
                ++p;
                ++n;
                continue;
            }
            if (pc == '[') {
                size_t after = p;
                bool matched = false;
                if (match_class(pattern, after, name[n], matched)) {
                    if (matched) {
                        p = after;
                        ++n;
                        continue;
                    }
                } else if (name[n] == '[') {
                    ++p;
                    ++n;
                    continue;
                }
            } else {
                if (pc == '\\' && p + 1 < pattern.size())
                    pc = pattern[++p];
                if (fold(pc) == fold(name[n])) {
                    ++p;
                    ++n;
                    continue;
                }
            }
        }
        if (star_p == std::string_view::npos)
            return false;
        p = star_p + 1;
        n = ++star_n;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

std::vector<std::string_view> split(std::string_view path)
{
    std::vector<std::string_view> parts;
    size_t start = 0;
    while (start <= path.size()) {
        size_t slash = path.find('/', start);
        if (slash == std::string_view::npos)
            slash = path.size();
        if (slash > start)
            parts.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return parts;
}

// Glob segments against path components; `**` takes any number of components. With
// `partial`, running out of path before the pattern ends counts as a match: something
// below the path could still match.
bool segments_match(const std::vector<std::string>& pattern, size_t p, const std::vector<std::string_view>& path,
    size_t n, bool partial)
{
    while (p < pattern.size()) {
        if (pattern[p] == "**") {
            if (partial)
                return true;
            for (size_t skip = n; skip <= path.size(); ++skip)
                if (segments_match(pattern, p + 1, path, skip, partial))
                    return true;
            return false;
        }
        if (n == path.size())
            return partial;
        if (!component_matches(pattern[p], path[n]))
            return false;
        ++p;
        ++n;
    }
    return n == path.size();
}

// {a,b} alternatives, nested and repeated, as minimatch's brace expansion; a brace
// with no comma at its level is literal.
void expand_braces(const std::string& pattern, std::vector<std::string>& out)
{
    size_t open = std::string::npos;
    int depth = 0;
    std::vector<size_t> commas;
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if (c == '\\') {
            ++i;
        } else if (c == '{') {
            if (depth++ == 0) {
                open = i;
                commas.clear();
            }
        } else if (c == ',' && depth == 1) {
            commas.push_back(i);
        } else if (c == '}' && depth > 0 && --depth == 0) {
            if (commas.empty())
                continue;
            std::string prefix = pattern.substr(0, open);
            std::string suffix = pattern.substr(i + 1);
            size_t start = open + 1;
            commas.push_back(i);
            for (size_t comma : commas) {
                expand_braces(prefix + pattern.substr(start, comma - start) + suffix, out);
                start = comma + 1;
            }
            return;
        }
    }
    out.push_back(pattern);
}

} // namespace

bool glob_component_matches(std::string_view pattern, std::string_view name)
{
    return component_matches(pattern, name);
}

std::vector<IgnoreRule> IgnoreRule::parse(std::string_view line)
{
    std::vector<IgnoreRule> rules;
    size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string_view::npos || line[begin] == '#')
        return rules;
    size_t end = line.find_last_not_of(" \t\r");
    std::string_view pattern = line.substr(begin, end - begin + 1);

    bool negate = false;
    while (!pattern.empty() && pattern[0] == '!') {
        negate = !negate;
        pattern.remove_prefix(1);
    }
    std::vector<std::string> alternatives;
    expand_braces(std::string(pattern), alternatives);
    for (std::string& alternative : alternatives) {
        std::string_view p = alternative;
        IgnoreRule rule;
        rule.m_negate = negate;
        if (p.size() >= 2 && p.substr(0, 2) == "./")
            p.remove_prefix(1);
        if (!p.empty() && p[0] == '/') {
            rule.m_anchored = true;
            p.remove_prefix(1);
        }
        if (!p.empty() && p.back() == '/') {
            rule.m_folder_only = true;
            while (!p.empty() && p.back() == '/')
                p.remove_suffix(1);
        }
        if (p.empty())
            continue;
        for (std::string_view segment : split(p))
            rule.m_segments.emplace_back(segment);
        if (rule.m_segments.size() > 1)
            rule.m_anchored = true;
        rules.push_back(std::move(rule));
    }
    return rules;
}

std::vector<IgnoreRule> IgnoreRule::parse_lines(std::string_view text)
{
    std::vector<IgnoreRule> rules;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        for (IgnoreRule& rule : parse(text.substr(start, end - start)))
            rules.push_back(std::move(rule));
        start = end + 1;
    }
    return rules;
}

bool IgnoreRule::matches(std::string_view path, Mode mode) const
{
    if (m_folder_only && mode == Mode::File)
        return false;
    std::vector<std::string_view> parts = split(path);
    if (parts.empty())
        return false;
    if (!m_anchored)
        return component_matches(m_segments[0], parts.back());
    return segments_match(m_segments, 0, parts, 0, mode == Mode::Partial && m_negate);
}

} // namespace kiln::initrd

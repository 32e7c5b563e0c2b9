#include "lib/cmdline.h"

namespace kiln {

std::optional<std::string_view> Cmdline::value(std::string_view key) const
{
    std::optional<std::string_view> found;
    const char* p = m_text.data();
    const char* end = p + m_text.size();
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
            ++p;
        const char* word = p;
        while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
            ++p;
        std::string_view w(word, static_cast<size_t>(p - word));
        if (w.size() < key.size() || w.empty() || key.empty())
            continue;
        if (std::string_view(w.data(), key.size()) != key)
            continue;
        if (w.size() == key.size())
            found = std::string_view();
        else if (w[key.size()] == '=')
            found = std::string_view(w.data() + key.size() + 1, w.size() - key.size() - 1);
    }
    return found;
}

std::optional<long long> Cmdline::number(std::string_view key) const
{
    auto text = value(key);
    if (!text || text->empty() || text->size() > 18)
        return std::nullopt;
    long long n = 0;
    for (char c : *text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}

} // namespace kiln

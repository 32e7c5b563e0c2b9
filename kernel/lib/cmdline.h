#pragma once

// The kernel command line: space-separated `key=value` and `flag` words, as Linux has
// them. Portable, unit-tested on the host.

#include <optional>
#include <string_view>

namespace kiln {

class Cmdline {
public:
    explicit Cmdline(std::string_view text)
        : m_text(text)
    {
    }

    // Value of the last `key=value` word (Linux lets later words override earlier ones);
    // an empty view for a bare `key` word; nullopt when the key is absent.
    std::optional<std::string_view> value(std::string_view key) const;
    bool has(std::string_view key) const { return value(key).has_value(); }

    // Decimal value of `key=N` (0..2^63-1); nullopt when absent or not a number.
    std::optional<long long> number(std::string_view key) const;

    std::string_view text() const { return m_text; }

private:
    std::string_view m_text;
};

} // namespace kiln

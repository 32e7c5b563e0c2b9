#pragma once

// Character classes of the HTTP grammar (RFC 9110 §5.5, §5.6.2; RFC 9112 §3.2), as one
// 256-entry table so the parser's inner loops are a load and a test per byte.

#include <array>
#include <cstdint>
#include <string_view>

namespace kiln::http::grammar {

enum CharClass : uint8_t {
    k_token = 1, // tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    k_field = 2, // field-vchar and the SP / HTAB allowed inside a field value: VCHAR, obs-text, SP, HTAB
    k_target = 4, // request-target bytes: visible ASCII (no CTL, SP or obs-text)
    k_hex = 8, // HEXDIG
    k_qdtext = 16, // quoted-string text: HTAB, SP, %x21, %x23-5B, %x5D-7E, obs-text
};

constexpr std::array<uint8_t, 256> make_classes()
{
    std::array<uint8_t, 256> classes {};
    constexpr std::string_view token_symbols = "!#$%&'*+-.^_`|~";
    for (unsigned c = 0; c < 256; ++c) {
        uint8_t bits = 0;
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool digit = c >= '0' && c <= '9';
        if (alpha || digit || token_symbols.find(static_cast<char>(c)) != std::string_view::npos)
            bits |= k_token;
        bool visible = c >= 0x21 && c <= 0x7e;
        if (visible || c >= 0x80 || c == ' ' || c == '\t')
            bits |= k_field;
        if (visible)
            bits |= k_target;
        if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
            bits |= k_hex;
        if ((bits & k_field) && c != '"' && c != '\\')
            bits |= k_qdtext;
        classes[c] = bits;
    }
    return classes;
}

inline constexpr std::array<uint8_t, 256> k_classes = make_classes();

constexpr bool is(char c, CharClass kind) { return (k_classes[static_cast<uint8_t>(c)] & kind) != 0; }
constexpr bool is_whitespace(char c) { return c == ' ' || c == '\t'; } // OWS / BWS
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr unsigned hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return static_cast<unsigned>(c - '0');
    return static_cast<unsigned>((c | 0x20) - 'a' + 10);
}

// Length of the run of `kind` bytes at the start of `text`.
constexpr size_t span_of(std::string_view text, CharClass kind)
{
    size_t i = 0;
    while (i < text.size() && is(text[i], kind))
        ++i;
    return i;
}

constexpr std::string_view trim_whitespace(std::string_view text)
{
    while (!text.empty() && is_whitespace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_whitespace(text.back()))
        text.remove_suffix(1);
    return text;
}

// ASCII case-insensitive comparison with a lower-case literal.
constexpr bool equals_lower(std::string_view text, std::string_view lower)
{
    if (text.size() != lower.size())
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c | 0x20);
        if (c != lower[i])
            return false;
    }
    return true;
}

} // namespace kiln::http::grammar

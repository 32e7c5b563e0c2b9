#pragma once

// A JSON (RFC 8259) reader that never allocates: Document::try_parse validates the
// whole text once, then Values are views into it that navigate by re-scanning the
// (known-good) text. Portable: the kernel reads /kiln/manifest.json with it; the image
// builder reads package.json with it.
//
//   TRY(json::Document doc, json::Document::try_parse(text));
//   TRY(json::Value argv, doc.root().member("argv"));
//   for (json::Value arg : argv.elements()) {
//       char buffer[256];
//       TRY(std::string_view s, arg.string(buffer));
//   }
//
// Strictness: exactly RFC 8259's grammar (no comments, trailing commas, BOM, NaN or
// leading '+'); strings must be valid UTF-8 (RFC 8259 §8.1, RFC 3629 §4) and their
// \u escapes must pair surrogates correctly (§7); arrays and objects nest at most
// MAX_DEPTH deep (§9 lets a parser limit this). Duplicate object keys (§4: behaviour
// undefined) are accepted by try_parse but member() refuses to pick one.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "lib/result.h"

namespace kiln::json {

inline constexpr size_t MAX_DEPTH = 64;

enum class Type : uint8_t { Null, Bool, Number, String, Array, Object };

// Where and why try_parse refused the text, for messages like "manifest.json: byte 12:
// bad escape". `reason` is a static string.
struct ParseError {
    size_t offset = 0;
    const char* reason = "";
};

template <typename Item> class Range;
class Member;

class Value {
public:
    Value() = default;
    // `raw` must be one complete value from a validated document.
    explicit Value(std::string_view raw)
        : m_raw(raw)
    {
    }

    Type type() const;
    bool is_null() const { return type() == Type::Null; }
    std::string_view raw() const { return m_raw; }

    // Errno::INVAL when the value has another type.
    Result<bool> boolean() const;
    // Only numbers written without fraction or exponent; Errno::RANGE outside int64_t.
    Result<int64_t> integer() const;
    // The unescaped UTF-8 bytes, written into `buffer`; Errno::RANGE if it is too small.
    // A \u0000 escape yields a NUL byte: callers that need C strings must check.
    Result<std::string_view> string(std::span<char> buffer) const;
    // The unescaped length in bytes, to size a buffer.
    Result<size_t> string_size() const;
    // Compares the unescaped string with `text` (false when not a string).
    bool string_equals(std::string_view text) const;

    // Object member by (unescaped) key: Errno::NOENT if absent, Errno::INVAL if this is
    // not an object or the key appears more than once.
    Result<Value> member(std::string_view key) const;
    Range<Value> elements() const;
    Range<Member> members() const;

private:
    std::string_view m_raw;
};

class Member {
public:
    Member() = default;
    Member(Value key, Value value)
        : m_key(key)
        , m_value(value)
    {
    }
    Value key() const { return m_key; }
    Value value() const { return m_value; }

private:
    Value m_key;
    Value m_value;
};

namespace detail {
// Navigation over validated text; see json.cpp.
size_t first_item(std::string_view container, char open);
size_t next_item(std::string_view container, size_t item, bool is_member);
Value value_at(std::string_view container, size_t item);
Member member_at(std::string_view container, size_t item);
} // namespace detail

// Iteration over an array's elements (Range<Value>) or an object's members
// (Range<Member>), in document order. Over any other type the range is empty.
template <typename Item> class Range {
    static constexpr bool IS_MEMBER = std::is_same_v<Item, Member>;

public:
    class Iterator {
    public:
        Iterator(std::string_view text, size_t position)
            : m_text(text)
            , m_position(position)
        {
        }
        Item operator*() const
        {
            if constexpr (IS_MEMBER)
                return detail::member_at(m_text, m_position);
            else
                return detail::value_at(m_text, m_position);
        }
        Iterator& operator++()
        {
            m_position = detail::next_item(m_text, m_position, IS_MEMBER);
            return *this;
        }
        bool operator==(const Iterator& other) const { return m_position == other.m_position; }

    private:
        std::string_view m_text; // the whole container, brackets included
        size_t m_position; // start of the current item; m_text.size() at the end
    };

    explicit Range(std::string_view container)
        : m_text(container)
        , m_first(detail::first_item(container, IS_MEMBER ? '{' : '['))
    {
    }
    Iterator begin() const { return Iterator(m_text, m_first); }
    Iterator end() const { return Iterator(m_text, m_text.size()); }

private:
    std::string_view m_text;
    size_t m_first;
};

inline Range<Value> Value::elements() const { return Range<Value>(m_raw); }
inline Range<Member> Value::members() const { return Range<Member>(m_raw); }

class Document {
public:
    Document() = default;
    // Errno::INVAL for text that is not exactly one JSON value (with optional
    // surrounding whitespace); `error`, if given, says where and why.
    static Result<Document> try_parse(std::string_view text, ParseError* error = nullptr);
    Value root() const { return m_root; }

private:
    Value m_root;
};

} // namespace kiln::json

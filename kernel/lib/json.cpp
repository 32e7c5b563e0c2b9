#include "lib/json.h"

namespace kiln::json {

namespace {

// string_view::substr can throw; views here are cut from known-good positions.
std::string_view slice(std::string_view text, size_t start, size_t end)
{
    return std::string_view(text.data() + start, end - start);
}

bool is_whitespace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; } // RFC 8259 §2
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// Four hex digits at text[pos..pos+4), or -1.
int32_t hex4(std::string_view text, size_t pos)
{
    if (pos > text.size() || text.size() - pos < 4)
        return -1;
    int32_t value = 0;
    for (size_t i = 0; i < 4; ++i) {
        int digit = hex_value(text[pos + i]);
        if (digit < 0)
            return -1;
        value = value * 16 + digit;
    }
    return value;
}

bool is_high_surrogate(int32_t u) { return u >= 0xd800 && u <= 0xdbff; }
bool is_low_surrogate(int32_t u) { return u >= 0xdc00 && u <= 0xdfff; }

// Validates RFC 8259 text in one pass without recursion: the kind of each open level
// (object or array) is one bit of m_objects.
class Validator {
public:
    explicit Validator(std::string_view text)
        : m_text(text)
    {
    }

    bool run();
    ParseError error() const { return { m_pos, m_reason }; }

private:
    bool fail(const char* reason)
    {
        m_reason = reason;
        return false;
    }
    bool at_end() const { return m_pos >= m_text.size(); }
    char peek() const { return m_text[m_pos]; }
    uint8_t byte_at(size_t pos) const { return static_cast<uint8_t>(m_text[pos]); }
    bool in_object() const { return (m_objects >> (m_depth - 1)) & 1; }
    void skip_whitespace()
    {
        while (!at_end() && is_whitespace(peek()))
            ++m_pos;
    }

    bool value(bool& complete);
    bool after_value(bool& done);
    bool key();
    bool string();
    bool escape();
    bool utf8_sequence();
    bool number();
    bool literal(std::string_view word);

    std::string_view m_text;
    size_t m_pos = 0;
    const char* m_reason = "";
    uint64_t m_objects = 0;
    size_t m_depth = 0;
};

bool Validator::run()
{
    static_assert(MAX_DEPTH <= 64, "one bit per level in m_objects");
    skip_whitespace();
    for (;;) {
        bool complete = false;
        if (!value(complete))
            return false;
        if (!complete)
            continue; // a container opened; its first value comes next
        bool done = false;
        if (!after_value(done))
            return false;
        if (done)
            return true;
    }
}

// Consumes a scalar or an empty container (complete = true), or opens a non-empty
// container and, for an object, its first key (complete = false).
bool Validator::value(bool& complete)
{
    if (at_end())
        return fail("expected a value");
    char c = peek();
    if (c != '{' && c != '[') {
        complete = true;
        switch (c) {
        case '"':
            return string();
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            if (c == '-' || is_digit(c))
                return number();
            return fail("expected a value");
        }
    }
    if (m_depth == MAX_DEPTH)
        return fail("nested too deeply");
    bool object = c == '{';
    m_objects = (m_objects & ~(uint64_t(1) << m_depth)) | (uint64_t(object) << m_depth);
    ++m_depth;
    ++m_pos;
    skip_whitespace();
    if (!at_end() && peek() == (object ? '}' : ']')) {
        ++m_pos;
        --m_depth;
        complete = true;
        return true;
    }
    complete = false;
    return !object || key();
}

// After a complete value: closes finished containers, then either stops at the end
// of the document (done) or consumes ',' (and the next key) before the next value.
bool Validator::after_value(bool& done)
{
    for (;;) {
        skip_whitespace();
        if (m_depth == 0) {
            done = true;
            return at_end() || fail("unexpected text after the value");
        }
        if (at_end())
            return fail("unterminated array or object");
        bool object = in_object();
        char c = peek();
        if (c == ',') {
            ++m_pos;
            skip_whitespace();
            return !object || key();
        }
        if (c != (object ? '}' : ']'))
            return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
        ++m_pos;
        --m_depth;
    }
}

// RFC 8259 §4: member = string name-separator value.
bool Validator::key()
{
    if (at_end() || peek() != '"')
        return fail("expected a string key");
    if (!string())
        return false;
    skip_whitespace();
    if (at_end() || peek() != ':')
        return fail("expected ':'");
    ++m_pos;
    skip_whitespace();
    return true;
}

// RFC 8259 §7: unescaped characters are U+0020 and up except '"' and '\'.
bool Validator::string()
{
    ++m_pos;
    for (;;) {
        if (at_end())
            return fail("unterminated string");
        uint8_t c = byte_at(m_pos);
        if (c == '"') {
            ++m_pos;
            return true;
        }
        if (c < 0x20)
            return fail("control character in string");
        if (c == '\\') {
            if (!escape())
                return false;
        } else if (c >= 0x80) {
            if (!utf8_sequence())
                return false;
        } else {
            ++m_pos;
        }
    }
}

// RFC 8259 §7: the two-character escapes and \uXXXX, where a character outside the
// BMP is a surrogate pair and a lone surrogate is no character at all.
bool Validator::escape()
{
    if (m_pos + 1 >= m_text.size())
        return fail("unterminated string");
    char e = m_text[m_pos + 1];
    switch (e) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        m_pos += 2;
        return true;
    case 'u':
        break;
    default:
        return fail("bad escape");
    }
    int32_t unit = hex4(m_text, m_pos + 2);
    if (unit < 0)
        return fail("bad \\u escape");
    if (is_low_surrogate(unit))
        return fail("unpaired surrogate");
    m_pos += 6;
    if (!is_high_surrogate(unit))
        return true;
    if (m_pos + 1 >= m_text.size() || m_text[m_pos] != '\\' || m_text[m_pos + 1] != 'u'
        || !is_low_surrogate(hex4(m_text, m_pos + 2)))
        return fail("unpaired surrogate");
    m_pos += 6;
    return true;
}

// RFC 3629 §4: well-formed UTF-8, which excludes overlong forms, surrogates
// (U+D800..U+DFFF) and anything above U+10FFFF.
bool Validator::utf8_sequence()
{
    uint8_t lead = byte_at(m_pos);
    size_t length;
    uint8_t second_min = 0x80;
    uint8_t second_max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0)
            second_min = 0xa0;
        else if (lead == 0xed)
            second_max = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0)
            second_min = 0x90;
        else if (lead == 0xf4)
            second_max = 0x8f;
    } else {
        return fail("invalid UTF-8");
    }
    if (m_text.size() - m_pos < length)
        return fail("invalid UTF-8");
    uint8_t second = byte_at(m_pos + 1);
    if (second < second_min || second > second_max)
        return fail("invalid UTF-8");
    for (size_t i = 2; i < length; ++i) {
        uint8_t next = byte_at(m_pos + i);
        if (next < 0x80 || next > 0xbf)
            return fail("invalid UTF-8");
    }
    m_pos += length;
    return true;
}

// RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool Validator::number()
{
    auto digits = [this] {
        size_t start = m_pos;
        while (!at_end() && is_digit(peek()))
            ++m_pos;
        return m_pos > start;
    };
    if (peek() == '-')
        ++m_pos;
    if (!at_end() && peek() == '0')
        ++m_pos;
    else if (!digits())
        return fail("bad number");
    if (!at_end() && peek() == '.') {
        ++m_pos;
        if (!digits())
            return fail("bad number");
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
        ++m_pos;
        if (!at_end() && (peek() == '+' || peek() == '-'))
            ++m_pos;
        if (!digits())
            return fail("bad number");
    }
    return true;
}

bool Validator::literal(std::string_view word)
{
    if (m_text.size() - m_pos < word.size() || slice(m_text, m_pos, m_pos + word.size()) != word)
        return fail("bad literal");
    m_pos += word.size();
    return true;
}

// The helpers below only ever see validated text, so they skip without checking.

size_t skip_whitespace(std::string_view text, size_t pos)
{
    while (pos < text.size() && is_whitespace(text[pos]))
        ++pos;
    return pos;
}

size_t skip_string(std::string_view text, size_t pos)
{
    ++pos;
    while (text[pos] != '"')
        pos += text[pos] == '\\' ? 2 : 1;
    return pos + 1;
}

size_t skip_value(std::string_view text, size_t pos)
{
    char c = text[pos];
    if (c == '"')
        return skip_string(text, pos);
    if (c == '{' || c == '[') {
        size_t depth = 0;
        for (;;) {
            c = text[pos];
            if (c == '"') {
                pos = skip_string(text, pos);
                continue;
            }
            ++pos;
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return pos;
        }
    }
    while (pos < text.size() && !is_whitespace(text[pos]) && text[pos] != ',' && text[pos] != ']' && text[pos] != '}')
        ++pos;
    return pos;
}

// A member: key, ':', value. Returns the end of the value; sets value_start.
size_t skip_member(std::string_view text, size_t pos, size_t* value_start = nullptr)
{
    size_t colon = skip_whitespace(text, skip_string(text, pos));
    size_t value = skip_whitespace(text, colon + 1);
    if (value_start)
        *value_start = value;
    return skip_value(text, value);
}

// Yields a validated string's unescaped bytes, one character (1-4 bytes) at a time.
class Unescaper {
public:
    explicit Unescaper(std::string_view raw)
        : m_raw(raw)
        , m_pos(1)
    {
    }

    // Writes the next character's bytes to out; returns how many (0 at the end).
    size_t next(char out[4])
    {
        char c = m_raw[m_pos];
        if (c == '"')
            return 0;
        if (c != '\\') {
            out[0] = c;
            ++m_pos;
            return 1;
        }
        char e = m_raw[m_pos + 1];
        m_pos += 2;
        switch (e) {
        case 'b':
            out[0] = '\b';
            return 1;
        case 'f':
            out[0] = '\f';
            return 1;
        case 'n':
            out[0] = '\n';
            return 1;
        case 'r':
            out[0] = '\r';
            return 1;
        case 't':
            out[0] = '\t';
            return 1;
        case 'u':
            return unicode(out);
        default:
            out[0] = e; // '"', '\\', '/'
            return 1;
        }
    }

private:
    size_t unicode(char out[4])
    {
        uint32_t cp = static_cast<uint32_t>(hex4(m_raw, m_pos));
        m_pos += 4;
        if (is_high_surrogate(static_cast<int32_t>(cp))) {
            uint32_t low = static_cast<uint32_t>(hex4(m_raw, m_pos + 2));
            m_pos += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }
        // RFC 3629 §3 encoding.
        if (cp < 0x80) {
            out[0] = static_cast<char>(cp);
            return 1;
        }
        if (cp < 0x800) {
            out[0] = static_cast<char>(0xc0 | (cp >> 6));
            out[1] = static_cast<char>(0x80 | (cp & 0x3f));
            return 2;
        }
        if (cp < 0x10000) {
            out[0] = static_cast<char>(0xe0 | (cp >> 12));
            out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            out[2] = static_cast<char>(0x80 | (cp & 0x3f));
            return 3;
        }
        out[0] = static_cast<char>(0xf0 | (cp >> 18));
        out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
        out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
        out[3] = static_cast<char>(0x80 | (cp & 0x3f));
        return 4;
    }

    std::string_view m_raw;
    size_t m_pos;
};

} // namespace

Result<Document> Document::try_parse(std::string_view text, ParseError* error)
{
    Validator validator(text);
    if (!validator.run()) {
        if (error)
            *error = validator.error();
        return Errno::INVAL;
    }
    size_t start = skip_whitespace(text, 0);
    Document document;
    document.m_root = Value(slice(text, start, skip_value(text, start)));
    return document;
}

Type Value::type() const
{
    switch (m_raw.empty() ? 'n' : m_raw[0]) {
    case 'n':
        return Type::Null;
    case 't':
    case 'f':
        return Type::Bool;
    case '"':
        return Type::String;
    case '[':
        return Type::Array;
    case '{':
        return Type::Object;
    default:
        return Type::Number;
    }
}

Result<bool> Value::boolean() const
{
    if (type() != Type::Bool)
        return Errno::INVAL;
    return m_raw[0] == 't';
}

Result<int64_t> Value::integer() const
{
    if (type() != Type::Number)
        return Errno::INVAL;
    bool negative = m_raw[0] == '-';
    // Accumulate toward the sign so INT64_MIN, whose magnitude has no positive
    // int64_t, still parses.
    int64_t value = 0;
    for (size_t i = negative ? 1 : 0; i < m_raw.size(); ++i) {
        if (!is_digit(m_raw[i]))
            return Errno::INVAL; // fraction or exponent
        int64_t digit = m_raw[i] - '0';
        if (__builtin_mul_overflow(value, 10, &value)
            || (negative ? __builtin_sub_overflow(value, digit, &value) : __builtin_add_overflow(value, digit, &value)))
            return Errno::RANGE;
    }
    return value;
}

Result<std::string_view> Value::string(std::span<char> buffer) const
{
    if (type() != Type::String)
        return Errno::INVAL;
    Unescaper unescaper(m_raw);
    size_t used = 0;
    char bytes[4];
    while (size_t n = unescaper.next(bytes)) {
        if (buffer.size() - used < n)
            return Errno::RANGE;
        for (size_t i = 0; i < n; ++i)
            buffer[used++] = bytes[i];
    }
    return std::string_view(buffer.data(), used);
}

Result<size_t> Value::string_size() const
{
    if (type() != Type::String)
        return Errno::INVAL;
    Unescaper unescaper(m_raw);
    size_t size = 0;
    char bytes[4];
    while (size_t n = unescaper.next(bytes))
        size += n;
    return size;
}

bool Value::string_equals(std::string_view text) const
{
    if (type() != Type::String)
        return false;
    Unescaper unescaper(m_raw);
    size_t matched = 0;
    char bytes[4];
    while (size_t n = unescaper.next(bytes)) {
        if (text.size() - matched < n)
            return false;
        for (size_t i = 0; i < n; ++i) {
            if (text[matched++] != bytes[i])
                return false;
        }
    }
    return matched == text.size();
}

Result<Value> Value::member(std::string_view key) const
{
    if (type() != Type::Object)
        return Errno::INVAL;
    Value found;
    size_t matches = 0;
    for (Member m : members()) {
        if (m.key().string_equals(key)) {
            found = m.value();
            ++matches;
        }
    }
    if (matches == 0)
        return Errno::NOENT;
    if (matches > 1)
        return Errno::INVAL;
    return found;
}

namespace detail {

size_t first_item(std::string_view container, char open)
{
    if (container.empty() || container[0] != open)
        return container.size();
    size_t pos = skip_whitespace(container, 1);
    return (container[pos] == ']' || container[pos] == '}') ? container.size() : pos;
}

// The item after the one starting at `item`, or container.size() if the container
// closes after it.
size_t next_item(std::string_view container, size_t item, bool is_member)
{
    size_t end = is_member ? skip_member(container, item) : skip_value(container, item);
    size_t pos = skip_whitespace(container, end);
    return container[pos] == ',' ? skip_whitespace(container, pos + 1) : container.size();
}

Value value_at(std::string_view container, size_t item)
{
    return Value(slice(container, item, skip_value(container, item)));
}

Member member_at(std::string_view container, size_t item)
{
    size_t value_start = 0;
    size_t value_end = skip_member(container, item, &value_start);
    Value key(slice(container, item, skip_string(container, item)));
    return Member(key, Value(slice(container, value_start, value_end)));
}

} // namespace detail

} // namespace kiln::json

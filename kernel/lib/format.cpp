#include "lib/format.h"

#include <stdint.h>

namespace kiln {
namespace {

using Writer = BoundedWriter;

struct Spec {
    bool left = false;
    bool zero = false;
    bool plus = false;
    bool space = false;
    bool alternate = false;
    int width = 0;
    int precision = -1;
};

enum class Length { Int, Char, Short, Long, LongLong, Size, PtrDiff, Max };

void emit_padded(Writer& out, const Spec& spec, const char* prefix, const char* digits, int digit_count)
{
    int prefix_length = 0;
    while (prefix[prefix_length])
        ++prefix_length;
    int zeros = spec.precision > digit_count ? spec.precision - digit_count : 0;
    int body = prefix_length + zeros + digit_count;
    int pad = spec.width > body ? spec.width - body : 0;
    // C: the '0' flag is ignored when a precision is given or with '-'.
    if (spec.zero && !spec.left && spec.precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!spec.left)
        out.repeat(' ', pad);
    for (int i = 0; i < prefix_length; ++i)
        out.put(prefix[i]);
    out.repeat('0', zeros);
    for (int i = 0; i < digit_count; ++i)
        out.put(digits[i]);
    if (spec.left)
        out.repeat(' ', pad);
}

void emit_integer(Writer& out, Spec spec, uint64_t magnitude, bool negative, unsigned base, bool upper, bool is_signed)
{
    const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char digits[24];
    int count = 0;
    char reversed[24];
    // "%.0d" of zero prints no digits at all (C11 7.21.6.1).
    if (!(magnitude == 0 && spec.precision == 0)) {
        do {
            reversed[count++] = alphabet[magnitude % base];
            magnitude /= base;
        } while (magnitude != 0);
    }
    for (int i = 0; i < count; ++i)
        digits[i] = reversed[count - 1 - i];

    char prefix[3] = {};
    if (is_signed) {
        if (negative)
            prefix[0] = '-';
        else if (spec.plus)
            prefix[0] = '+';
        else if (spec.space)
            prefix[0] = ' ';
    } else if (spec.alternate && base == 16 && count > 0 && !(count == 1 && digits[0] == '0')) {
        prefix[0] = '0';
        prefix[1] = upper ? 'X' : 'x';
    } else if (spec.alternate && base == 8 && (count == 0 || digits[0] != '0')) {
        if (spec.precision <= count)
            spec.precision = count + 1;
    }
    emit_padded(out, spec, prefix, digits, count);
}

int64_t signed_argument(va_list& args, Length length)
{
    switch (length) {
    case Length::Char:
        return static_cast<signed char>(va_arg(args, int));
    case Length::Short:
        return static_cast<short>(va_arg(args, int));
    case Length::Long:
        return va_arg(args, long);
    case Length::LongLong:
        return va_arg(args, long long);
    case Length::Size:
    case Length::PtrDiff:
        return va_arg(args, ptrdiff_t);
    case Length::Max:
        return va_arg(args, intmax_t);
    case Length::Int:
        break;
    }
    return va_arg(args, int);
}

uint64_t unsigned_argument(va_list& args, Length length)
{
    switch (length) {
    case Length::Char:
        return static_cast<unsigned char>(va_arg(args, unsigned));
    case Length::Short:
        return static_cast<unsigned short>(va_arg(args, unsigned));
    case Length::Long:
        return va_arg(args, unsigned long);
    case Length::LongLong:
        return va_arg(args, unsigned long long);
    case Length::Size:
        return va_arg(args, size_t);
    case Length::PtrDiff:
        return static_cast<uint64_t>(va_arg(args, ptrdiff_t));
    case Length::Max:
        return va_arg(args, uintmax_t);
    case Length::Int:
        break;
    }
    return va_arg(args, unsigned);
}

} // namespace

size_t vformat(char* buffer, size_t size, const char* fmt, va_list incoming)
{
    Writer out(buffer, size);
    va_list args;
    va_copy(args, incoming);

    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        ++p;
        Spec spec;
        for (;; ++p) {
            if (*p == '-')
                spec.left = true;
            else if (*p == '0')
                spec.zero = true;
            else if (*p == '+')
                spec.plus = true;
            else if (*p == ' ')
                spec.space = true;
            else if (*p == '#')
                spec.alternate = true;
            else
                break;
        }
        if (*p == '*') {
            spec.width = va_arg(args, int);
            if (spec.width < 0) {
                spec.left = true;
                spec.width = -spec.width;
            }
            ++p;
        } else {
            while (*p >= '0' && *p <= '9')
                spec.width = spec.width * 10 + (*p++ - '0');
        }
        if (*p == '.') {
            ++p;
            spec.precision = 0;
            if (*p == '*') {
                spec.precision = va_arg(args, int);
                if (spec.precision < 0)
                    spec.precision = -1;
                ++p;
            } else {
                while (*p >= '0' && *p <= '9')
                    spec.precision = spec.precision * 10 + (*p++ - '0');
            }
        }
        Length length = Length::Int;
        if (*p == 'h') {
            length = Length::Short;
            if (*++p == 'h') {
                length = Length::Char;
                ++p;
            }
        } else if (*p == 'l') {
            length = Length::Long;
            if (*++p == 'l') {
                length = Length::LongLong;
                ++p;
            }
        } else if (*p == 'z') {
            length = Length::Size;
            ++p;
        } else if (*p == 't') {
            length = Length::PtrDiff;
            ++p;
        } else if (*p == 'j') {
            length = Length::Max;
            ++p;
        }

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t value = signed_argument(args, length);
            uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
            emit_integer(out, spec, magnitude, value < 0, 10, false, true);
            break;
        }
        case 'u':
            emit_integer(out, spec, unsigned_argument(args, length), false, 10, false, false);
            break;
        case 'x':
        case 'X':
            emit_integer(out, spec, unsigned_argument(args, length), false, 16, *p == 'X', false);
            break;
        case 'o':
            emit_integer(out, spec, unsigned_argument(args, length), false, 8, false, false);
            break;
        case 'p': {
            auto value = reinterpret_cast<uintptr_t>(va_arg(args, void*));
            spec.alternate = true;
            emit_integer(out, spec, value, false, 16, false, false);
            break;
        }
        case 'c': {
            char c = static_cast<char>(va_arg(args, int));
            emit_padded(out, Spec { spec.left, false, false, false, false, spec.width, -1 }, "", &c, 1);
            break;
        }
        case 's': {
            const char* s = va_arg(args, const char*);
            if (!s)
                s = "(null)";
            int n = 0;
            while (s[n] && (spec.precision < 0 || n < spec.precision))
                ++n;
            emit_padded(out, Spec { spec.left, false, false, false, false, spec.width, -1 }, "", s, n);
            break;
        }
        case '%':
            out.put('%');
            break;
        case '\0':
            // A lone '%' at the end: print it rather than read past the string.
            out.put('%');
            --p;
            break;
        default:
            out.put('%');
            out.put(*p);
            break;
        }
    }
    va_end(args);
    return out.finish();
}

size_t format(char* buffer, size_t size, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(buffer, size, fmt, args);
    va_end(args);
    return n;
}

} // namespace kiln

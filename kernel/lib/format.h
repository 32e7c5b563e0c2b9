#pragma once

// printf-style formatting into a caller's buffer: no allocation, no floating point, safe
// in interrupt context. Portable (unit-tested on the host against snprintf).
//
// Supported: %d %i %u %x %X %o %c %s %p %%; flags '-', '0', '+', ' ', '#'; width and
// precision (also '*'); length modifiers hh h l ll z t j.

#include <stdarg.h>
#include <stddef.h>

namespace kiln {

// Appends to a bounded buffer while counting what would have been written, so callers
// can report the full length like snprintf. finish() NUL-terminates.
class BoundedWriter {
public:
    BoundedWriter(char* buffer, size_t size) : m_buffer(buffer), m_size(size) {}

    void put(char c)
    {
        if (m_length + 1 < m_size)
            m_buffer[m_length] = c;
        ++m_length;
    }
    void put(const char* text)
    {
        while (*text)
            put(*text++);
    }
    void repeat(char c, int count)
    {
        for (int i = 0; i < count; ++i)
            put(c);
    }
    size_t length() const { return m_length; }
    size_t finish()
    {
        if (m_size > 0)
            m_buffer[m_length < m_size ? m_length : m_size - 1] = '\0';
        return m_length;
    }

private:
    char* m_buffer;
    size_t m_size;
    size_t m_length = 0;
};

// Writes at most size-1 characters plus a NUL (when size > 0). Returns the length the
// full output would have had, as snprintf does, so callers can detect truncation.
size_t vformat(char* buffer, size_t size, const char* fmt, va_list args);
size_t format(char* buffer, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

} // namespace kiln

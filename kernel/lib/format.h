#pragma once

// printf-style formatting into a caller's buffer: no allocation, no floating point, safe
// in interrupt context. Portable (unit-tested on the host against snprintf).
//
// Supported: %d %i %u %x %X %o %c %s %p %%; flags '-', '0', '+', ' ', '#'; width and
// precision (also '*'); length modifiers hh h l ll z t j.

#include <stdarg.h>
#include <stddef.h>

namespace kiln {

// Writes at most size-1 characters plus a NUL (when size > 0). Returns the length the
// full output would have had, as snprintf does, so callers can detect truncation.
size_t vformat(char* buffer, size_t size, const char* fmt, va_list args);
size_t format(char* buffer, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));

} // namespace kiln

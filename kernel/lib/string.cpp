// The C memory functions the compiler may emit calls to, for the freestanding kernel
// (the host build uses libc's). Simple byte loops with `rep` string instructions, which
// are fast on every CPU that has ERMSB and correct on all.

#include <stddef.h>
#include <stdint.h>

extern "C" {

void* memcpy(void* destination, const void* source, size_t n)
{
    void* d = destination;
    asm volatile("rep movsb" : "+D"(d), "+S"(source), "+c"(n)::"memory");
    return destination;
}

void* memmove(void* destination, const void* source, size_t n)
{
    auto* d = static_cast<uint8_t*>(destination);
    auto* s = static_cast<const uint8_t*>(source);
    if (d <= s || d >= s + n)
        return memcpy(destination, source, n);
    // Overlapping with destination above source: copy backwards.
    d += n - 1;
    s += n - 1;
    asm volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n)::"memory");
    return destination;
}

void* memset(void* destination, int value, size_t n)
{
    void* d = destination;
    asm volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(value) : "memory");
    return destination;
}

int memcmp(const void* a, const void* b, size_t n)
{
    auto* x = static_cast<const uint8_t*>(a);
    auto* y = static_cast<const uint8_t*>(b);
    for (size_t i = 0; i < n; ++i) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char* s)
{
    size_t n = 0;
    while (s[n])
        ++n;
    return n;
}

} // extern "C"

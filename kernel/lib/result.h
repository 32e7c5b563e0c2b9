#pragma once

// Result<T>: a value or a Linux errno, for code that can fail without exceptions.
// Portable: compiled into the kernel (freestanding) and into host unit tests.
//
//   Result<Inode> r = fs.lookup(path);
//   if (!r) return r.error();
//   TRY(auto inode, fs.lookup(path));   // passes the error up
//
// The value is stored in place; T must be default-constructible only if you build an
// error Result of it (a union would lift that, but nothing needs it yet).

#include <type_traits>
#include <utility>

#include "lib/errno.h"

namespace kiln {

template <typename T> class [[nodiscard]] Result {
public:
    Result(T value)
        : m_value(std::move(value))
        , m_error(0)
    {
    }
    Result(Errno error)
        : m_value()
        , m_error(static_cast<int>(error))
    {
    }

    bool is_error() const { return m_error != 0; }
    explicit operator bool() const { return m_error == 0; }
    Errno error() const { return static_cast<Errno>(m_error); }

    T& value() & { return m_value; }
    const T& value() const& { return m_value; }
    T&& release_value() { return std::move(m_value); }

    T* operator->() { return &m_value; }
    const T* operator->() const { return &m_value; }
    T& operator*() { return m_value; }
    const T& operator*() const { return m_value; }

private:
    T m_value;
    int m_error;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result()
        : m_error(0)
    {
    }
    Result(Errno error)
        : m_error(static_cast<int>(error))
    {
    }

    bool is_error() const { return m_error != 0; }
    explicit operator bool() const { return m_error == 0; }
    Errno error() const { return static_cast<Errno>(m_error); }
    void release_value() { }

private:
    int m_error;
};

} // namespace kiln

#define KILN_CONCAT_INNER(a, b) a##b
#define KILN_CONCAT(a, b) KILN_CONCAT_INNER(a, b)

// TRY(decl, expr): evaluate expr (a Result); on error return the error from the caller,
// else bind the value to decl. TRY_VOID(expr) for Result<void>.
#define TRY(decl, expr)                                                                                                \
    auto KILN_CONCAT(_try_, __LINE__) = (expr);                                                                        \
    if (KILN_CONCAT(_try_, __LINE__).is_error())                                                                       \
        return KILN_CONCAT(_try_, __LINE__).error();                                                                   \
    decl = KILN_CONCAT(_try_, __LINE__).release_value()

#define TRY_VOID(expr)                                                                                                 \
    do {                                                                                                               \
        auto _try_void = (expr);                                                                                       \
        if (_try_void.is_error())                                                                                      \
            return _try_void.error();                                                                                  \
    } while (0)

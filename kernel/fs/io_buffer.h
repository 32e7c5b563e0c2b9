#pragma once

// A buffer a file operation reads into or writes from: user memory (system calls copy
// straight to and from the process, no bounce buffer) or kernel memory (the kernel's
// own reads). Faults on user memory come back as EFAULT.

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"
#include "linux/user_memory.h"

namespace kiln {

class IoBuffer {
public:
    static IoBuffer user(UserAddress address, size_t length) { return IoBuffer(true, address.value, length); }
    static IoBuffer kernel(void* pointer, size_t length)
    {
        return IoBuffer(false, reinterpret_cast<uint64_t>(pointer), length);
    }

    size_t length() const { return m_length; }

    // Copies n bytes from source into the buffer at offset `at`.
    Result<void> write(size_t at, const void* source, size_t n) const
    {
        if (at > m_length || n > m_length - at)
            return Errno::FAULT;
        if (m_user)
            return copy_to_user(UserAddress { m_address + at }, source, n);
        __builtin_memcpy(reinterpret_cast<void*>(m_address + at), source, n);
        return {};
    }

    // Copies n bytes from the buffer at offset `at` into destination.
    Result<void> read(size_t at, void* destination, size_t n) const
    {
        if (at > m_length || n > m_length - at)
            return Errno::FAULT;
        if (m_user)
            return copy_from_user(destination, UserAddress { m_address + at }, n);
        __builtin_memcpy(destination, reinterpret_cast<const void*>(m_address + at), n);
        return {};
    }

    Result<void> zero(size_t at, size_t n) const
    {
        if (at > m_length || n > m_length - at)
            return Errno::FAULT;
        if (m_user)
            return clear_user(UserAddress { m_address + at }, n);
        __builtin_memset(reinterpret_cast<void*>(m_address + at), 0, n);
        return {};
    }

private:
    IoBuffer(bool user, uint64_t address, size_t length) : m_user(user), m_address(address), m_length(length) {}

    bool m_user;
    uint64_t m_address;
    size_t m_length;
};

}  // namespace kiln

#pragma once

// A byte ring with a fixed capacity, storage from kalloc. Besides FIFO use it supports
// writing ahead of the readable bytes (`write_at`) and committing them later, which is
// how TCP keeps out-of-order data inside the receive buffer without extra memory.
// Not synchronized; callers run in the stack's context.

#include <stddef.h>
#include <stdint.h>

#include <span>

namespace kiln::net {

// Up to two spans: a ring's contents may wrap.
struct ByteSpans {
    std::span<const uint8_t> first;
    std::span<const uint8_t> second;
    size_t size() const { return first.size() + second.size(); }
};

class RingBuffer {
public:
    RingBuffer() = default;
    ~RingBuffer() { release(); }
    RingBuffer(const RingBuffer&) = delete;
    RingBuffer& operator=(const RingBuffer&) = delete;

    // false when the memory is not available; keeps any previous storage on failure.
    bool allocate(size_t capacity);
    void release();
    bool allocated() const { return m_data != nullptr; }

    size_t capacity() const { return m_capacity; }
    size_t size() const { return m_size; }
    size_t free() const { return m_capacity - m_size; }
    bool empty() const { return m_size == 0; }

    // Appends as much as fits; returns the count.
    size_t write(std::span<const uint8_t> bytes);
    // Copies bytes to `offset` past the readable end without making them readable;
    // offset + size must be within free(). Returns the count written.
    size_t write_at(size_t offset, std::span<const uint8_t> bytes);
    // Makes n bytes after the readable end readable (n <= free()).
    void commit(size_t n);

    // Copies up to out.size() bytes starting `offset` bytes into the readable data.
    size_t peek(size_t offset, std::span<uint8_t> out) const;
    // The readable bytes [offset, offset + length) as one or two spans.
    ByteSpans view(size_t offset, size_t length) const;
    size_t read(std::span<uint8_t> out);
    void consume(size_t n);

private:
    uint8_t* m_data = nullptr;
    size_t m_capacity = 0;
    size_t m_head = 0; // index of the first readable byte
    size_t m_size = 0;
};

} // namespace kiln::net

#include "net/ring_buffer.h"

#include <string.h>

#include "lib/kalloc.h"

namespace kiln::net {

bool RingBuffer::allocate(size_t capacity)
{
    auto* data = static_cast<uint8_t*>(kalloc(capacity));
    if (!data)
        return false;
    release();
    m_data = data;
    m_capacity = capacity;
    return true;
}

void RingBuffer::release()
{
    kfree(m_data);
    m_data = nullptr;
    m_capacity = m_head = m_size = 0;
}

size_t RingBuffer::write_at(size_t offset, std::span<const uint8_t> bytes)
{
    if (offset >= free())
        return 0;
    size_t n = bytes.size() < free() - offset ? bytes.size() : free() - offset;
    size_t position = (m_head + m_size + offset) % m_capacity;
    size_t first = n < m_capacity - position ? n : m_capacity - position;
    memcpy(m_data + position, bytes.data(), first);
    if (n > first)
        memcpy(m_data, bytes.data() + first, n - first);
    return n;
}

void RingBuffer::commit(size_t n) { m_size += n <= free() ? n : free(); }

size_t RingBuffer::write(std::span<const uint8_t> bytes)
{
    size_t n = write_at(0, bytes);
    commit(n);
    return n;
}

ByteSpans RingBuffer::view(size_t offset, size_t length) const
{
    if (offset >= m_size)
        return {};
    if (length > m_size - offset)
        length = m_size - offset;
    size_t position = (m_head + offset) % m_capacity;
    size_t first = length < m_capacity - position ? length : m_capacity - position;
    ByteSpans spans;
    spans.first = { m_data + position, first };
    if (length > first)
        spans.second = { m_data, length - first };
    return spans;
}

size_t RingBuffer::peek(size_t offset, std::span<uint8_t> out) const
{
    ByteSpans spans = view(offset, out.size());
    if (!spans.first.empty())
        memcpy(out.data(), spans.first.data(), spans.first.size());
    if (!spans.second.empty())
        memcpy(out.data() + spans.first.size(), spans.second.data(), spans.second.size());
    return spans.size();
}

size_t RingBuffer::read(std::span<uint8_t> out)
{
    size_t n = peek(0, out);
    consume(n);
    return n;
}

void RingBuffer::consume(size_t n)
{
    if (n > m_size)
        n = m_size;
    // The head is never reset when the ring empties: bytes written ahead with
    // write_at() are positioned relative to the readable end and must stay put.
    m_head = m_capacity ? (m_head + n) % m_capacity : 0;
    m_size -= n;
}

} // namespace kiln::net

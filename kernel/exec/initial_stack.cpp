#include "exec/initial_stack.h"

namespace kiln::exec {
namespace {

// Writes downward from the top of the buffer, tracking the user address of each write.
class StackWriter {
public:
    StackWriter(std::span<uint8_t> top, uint64_t stack_top) : m_top(top), m_stack_top(stack_top), m_used(0) {}

    // Pushes bytes; returns their user address, or 0 when the buffer is full.
    uint64_t push(const void* data, size_t length)
    {
        if (length > m_top.size() - m_used) {
            m_full = true;
            return 0;
        }
        m_used += length;
        __builtin_memcpy(m_top.data() + m_top.size() - m_used, data, length);
        return m_stack_top - m_used;
    }
    uint64_t push_string(std::string_view s)
    {
        uint8_t nul = 0;
        if (!push(&nul, 1))
            return 0;
        return s.empty() ? address() : push(s.data(), s.size());
    }
    void push_word(uint64_t value) { push(&value, 8); }
    // Pads so that after pushing `words` more 8-byte words the address is 16-aligned.
    void align_for(size_t words)
    {
        uint64_t after = address() - words * 8;
        size_t pad = after & 15;
        uint8_t zeros[16] = {};
        if (pad)
            push(zeros, pad);
    }
    uint64_t address() const { return m_stack_top - m_used; }
    bool full() const { return m_full; }

private:
    std::span<uint8_t> m_top;
    uint64_t m_stack_top;
    size_t m_used;
    bool m_full = false;
};

constexpr size_t MAX_STRINGS = 4096;

}  // namespace

Result<uint64_t> build_initial_stack(std::span<uint8_t> top, uint64_t stack_top, const InitialStackSpec& spec)
{
    if (spec.argv.size() > MAX_STRINGS || spec.envp.size() > MAX_STRINGS || (stack_top & 15))
        return Errno::TOOBIG;
    StackWriter w(top, stack_top);
    uint64_t execfn = w.push_string(spec.execfn);
    uint64_t platform = w.push_string(spec.platform);
    uint64_t random = w.push(spec.random_bytes, 16);

    // Strings above the pointer arrays, argv's below envp's, each list in order. The
    // pointers are recomputed from the string lengths below, walking down from the end
    // of each block, so no array of addresses is needed.
    uint64_t envp_strings_end = w.address();
    for (size_t i = spec.envp.size(); i-- > 0;)
        w.push_string(spec.envp[i]);
    uint64_t argv_strings_end = w.address();
    for (size_t i = spec.argv.size(); i-- > 0;)
        w.push_string(spec.argv[i]);
    if (w.full())
        return Errno::TOOBIG;

    size_t aux_words = (spec.auxv.size() + 4) * 2;  // + RANDOM, PLATFORM, EXECFN, NULL
    size_t words = aux_words + spec.envp.size() + 1 + spec.argv.size() + 1 + 1;
    w.align_for(words);

    // Pushed in reverse: AT_NULL ends up last in memory.
    w.push_word(0);
    w.push_word(AT_NULL);
    w.push_word(execfn);
    w.push_word(AT_EXECFN);
    w.push_word(platform);
    w.push_word(AT_PLATFORM);
    w.push_word(random);
    w.push_word(AT_RANDOM);
    for (size_t i = spec.auxv.size(); i-- > 0;) {
        w.push_word(spec.auxv[i].value);
        w.push_word(spec.auxv[i].type);
    }
    w.push_word(0);
    uint64_t string = envp_strings_end;
    for (size_t i = spec.envp.size(); i-- > 0;) {
        string -= spec.envp[i].size() + 1;
        w.push_word(string);
    }
    w.push_word(0);
    string = argv_strings_end;
    for (size_t i = spec.argv.size(); i-- > 0;) {
        string -= spec.argv[i].size() + 1;
        w.push_word(string);
    }
    w.push_word(spec.argv.size());
    if (w.full())
        return Errno::TOOBIG;
    return w.address();
}

}  // namespace kiln::exec

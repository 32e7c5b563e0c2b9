#pragma once

// Drives a network stack with arbitrary frames: shared by the robustness unit tests and
// the libFuzzer target (tests/fuzz/net_fuzz.cpp). The stack has a listener, an
// established connection, a UDP socket and a DHCP client, so every input path has
// state to hit; after each input it runs timers and reads what sockets have.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace kiln::net::test {

class StackExercise {
public:
    explicit StackExercise(uint64_t seed);
    ~StackExercise();
    StackExercise(const StackExercise&) = delete;
    StackExercise& operator=(const StackExercise&) = delete;

    // One frame in, then timers and socket reads; never crashes, never leaks.
    void feed(std::span<const uint8_t> frame);
    // Valid frames of every kind this stack understands, to mutate.
    const std::vector<std::vector<uint8_t>>& samples() const { return m_samples; }
    size_t transmitted() const;

private:
    struct State;
    State* m_state;
    std::vector<std::vector<uint8_t>> m_samples;
};

// Parsers alone, on any bytes.
void parse_everything(std::span<const uint8_t> bytes);

} // namespace kiln::net::test

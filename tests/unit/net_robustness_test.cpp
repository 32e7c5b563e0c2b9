// Malformed and truncated input never crashes the stack (run under ASan/UBSan by the
// fuzzer and in CI builds that enable them): every prefix of every valid frame, and
// many seeded bit flips of each, fed to a stack that has state for them to hit.

#include <gtest/gtest.h>

#include <random>

#include "net_exercise.h"

using namespace kiln::net::test;

TEST(NetRobustness, EveryTruncationOfEveryFrame)
{
    StackExercise exercise(1);
    for (const auto& sample : exercise.samples()) {
        for (size_t length = 0; length <= sample.size(); ++length) {
            exercise.feed(std::span(sample).first(length));
            parse_everything(std::span(sample).first(length));
        }
    }
    SUCCEED();
}

TEST(NetRobustness, SeededBitFlipsAndByteNoise)
{
    std::mt19937_64 random(42);
    for (uint64_t seed = 0; seed < 4; ++seed) {
        StackExercise exercise(seed);
        for (int round = 0; round < 3000; ++round) {
            auto frame = exercise.samples()[random() % exercise.samples().size()];
            int flips = 1 + static_cast<int>(random() % 4);
            for (int i = 0; i < flips; ++i) {
                size_t at = random() % frame.size();
                if (random() % 2)
                    frame[at] ^= static_cast<uint8_t>(1u << (random() % 8));
                else
                    frame[at] = static_cast<uint8_t>(random());
            }
            if (random() % 4 == 0)
                frame.resize(random() % (frame.size() + 1));
            exercise.feed(frame);
            parse_everything(frame);
        }
    }
    SUCCEED();
}

TEST(NetRobustness, RandomBytes)
{
    StackExercise exercise(9);
    std::mt19937_64 random(7);
    for (int round = 0; round < 2000; ++round) {
        std::vector<uint8_t> frame(random() % 200);
        for (auto& b : frame)
            b = static_cast<uint8_t>(random());
        if (frame.size() >= 14) { // make some of it reach the IP layer
            frame[0] = 0x02, frame[1] = frame[2] = frame[3] = frame[4] = 0, frame[5] = 1;
            frame[12] = 0x08;
            frame[13] = (round % 3 == 0) ? 0x06 : 0x00;
            if (frame.size() > 14 && round % 3 != 0)
                frame[14] = 0x45;
        }
        exercise.feed(frame);
        parse_everything(frame);
    }
    SUCCEED();
}

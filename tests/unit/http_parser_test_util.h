#pragma once

// expect_parse(): the transcript of a stream (see http_parser_exercise.h) must be the
// expected one whole, byte by byte, and cut in two at every point, so every parser
// test also checks that the parser is incremental.

#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

#include "http_parser_exercise.h"

namespace kiln::http::test {

inline std::span<const uint8_t> bytes_of(std::string_view text)
{
    return { reinterpret_cast<const uint8_t*>(text.data()), text.size() };
}

// The transcript of `input` whole, after checking that every cutting agrees with it.
inline std::string split_invariant_transcript(const Exercise& exercise, std::string_view input)
{
    std::span<const uint8_t> bytes = bytes_of(input);
    std::string whole = transcript(exercise, bytes, {});
    std::vector<size_t> every;
    for (size_t i = 1; i < input.size(); ++i)
        every.push_back(i);
    EXPECT_EQ(transcript(exercise, bytes, every), whole) << "fed byte by byte";
    // Long inputs are cut at a sample of points (and around the 16 KiB limit).
    size_t stride = input.size() > 4096 ? 61 : 1;
    for (size_t cut = 1; cut < input.size(); cut += stride) {
        size_t cuts[] = { cut };
        std::string split = transcript(exercise, bytes, cuts);
        if (split != whole) {
            ADD_FAILURE() << "cut at " << cut << ":\n" << split << "whole:\n" << whole;
            break;
        }
    }
    return whole;
}

inline void expect_parse(const Exercise& exercise, std::string_view input, std::string_view expected)
{
    EXPECT_EQ(split_invariant_transcript(exercise, input), expected);
}

// The stream ends in the error `code` (and the expected events before it, if given).
inline void expect_error(const Exercise& exercise, std::string_view input, std::string_view code)
{
    std::string result = split_invariant_transcript(exercise, input);
    size_t last_line = result.rfind('\n', result.size() - 2);
    std::string_view last = std::string_view(result).substr(last_line == std::string::npos ? 0 : last_line + 1);
    EXPECT_TRUE(last.starts_with("error@") && last.find(std::string(" ") + std::string(code) + " ") != last.npos)
        << "input: " << escape(input) << "\ntranscript:\n"
        << result;
}

inline Exercise request() { return { MessageType::Request }; }
inline Exercise response() { return { MessageType::Response }; }

} // namespace kiln::http::test

// libFuzzer target for the HTTP/1.1 parser (runtime/net/http_parser.h). The first byte
// picks the mode (bit 0: responses, bit 1: skip bodies as after HEAD, bit 2: accept
// upgrades, bit 3: tiny limits), the second where to cut; the rest is the stream.
// Beyond "no crash, no out-of-bounds read, no leak" it checks the parser's promises:
// the stream parsed whole, in two pieces, in three and byte by byte gives the same
// events, and no step consumes more than it was given (the transcript says BROKEN).
//   cmake --build build-fuzz --target http_parser_fuzz
//   build-fuzz/tests/fuzz/http_parser_fuzz -dict=tests/fuzz/http_parser.dict -max_len=20000 corpus/
// with corpus/ a copy of tests/fuzz/corpus/http_parser.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>

#include "http_parser_exercise.h"

namespace {

void expect_same(const std::string& whole, const std::string& other, const char* how)
{
    // Every transcript line starts with a fixed word or two spaces, so this is only
    // ever the exercise's own report.
    bool broken = whole.starts_with("BROKEN") || whole.find("\nBROKEN") != std::string::npos;
    if (broken || other != whole) {
        std::fprintf(stderr, "whole:\n%s\n%s:\n%s\n", whole.c_str(), how, other.c_str());
        std::abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace kiln::http;
    if (size < 2)
        return 0;
    test::Exercise exercise;
    exercise.type = data[0] & 1 ? MessageType::Response : MessageType::Request;
    exercise.skip_bodies = data[0] & 2;
    exercise.accept_upgrades = data[0] & 4;
    if (data[0] & 8)
        exercise.limits = { .max_header_size = 96, .max_header_count = 4, .max_chunk_extensions = 24 };
    std::span<const uint8_t> stream(data + 2, size - 2);

    std::string whole = test::transcript(exercise, stream, {});
    size_t cut = stream.empty() ? 0 : data[1] * 7919u % (stream.size() + 1);
    size_t one_cut[] = { cut };
    expect_same(whole, test::transcript(exercise, stream, one_cut), "two pieces");
    size_t two_cuts[] = { cut / 2, cut };
    expect_same(whole, test::transcript(exercise, stream, two_cuts), "three pieces");
    if (stream.size() <= 512) {
        size_t every[512];
        for (size_t i = 0; i < stream.size(); ++i)
            every[i] = i + 1;
        expect_same(whole, test::transcript(exercise, stream, std::span(every, stream.size())), "byte by byte");
    }
    return 0;
}

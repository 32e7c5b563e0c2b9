#pragma once

// Runs the HTTP parser over a byte stream cut into pieces and writes down what it
// reported, in a form that does not depend on the cuts: shared by the unit tests
// (tests/unit/http_parser_*_test.cpp) and the libFuzzer target
// (tests/fuzz/http_parser_fuzz.cpp), which both check that every way of cutting a
// stream gives the same transcript.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "runtime/net/http_parser.h"

namespace kiln::http::test {

struct Exercise {
    MessageType type = MessageType::Request;
    Limits limits {};
    // Call skip_body() after every response head, as a client that sent HEAD does.
    bool skip_bodies = false;
    // Call upgrade() after every head that asks for one, as a server that accepts.
    bool accept_upgrades = false;
};

// One line per event, with the stream offset where it ended:
//   head@27 GET / HTTP/1.1 keep-alive        (then one "  Name: value" line per field)
//   body "..."                               (the message's body bytes, joined)
//   done@31                                  (then the trailer fields)
//   upgraded@27 | error@5 HPE_INVALID_METHOD Invalid method encountered
// Pieces are input[0, cuts[0]), input[cuts[0], cuts[1]), ... (cuts ascending), then
// finish(). A broken parser invariant (consuming more than given, stopping with input
// left and no event) adds a line starting with "BROKEN" (other lines start with a fixed word or two spaces).
std::string transcript(const Exercise& exercise, std::span<const uint8_t> input, std::span<const size_t> cuts);

// Escapes bytes for a transcript: printable ASCII as is, others as \xNN, \r, \n.
std::string escape(std::string_view bytes);

} // namespace kiln::http::test

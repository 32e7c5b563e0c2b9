// The HTTP/1.1 parser on requests (RFC 9112). Every case also runs byte by byte and
// cut at every point (http_parser_test_util.h).
#include <gtest/gtest.h>

#include "http_parser_test_util.h"

namespace kiln::http::test {
namespace {

TEST(HttpRequest, GetWithHeaders)
{
    expect_parse(request(), "GET /path?q=1 HTTP/1.1\r\nHost: example\r\nAccept:  */*\t \r\nX-Empty:\r\n\r\n",
        "head@67 GET /path?q=1 HTTP/1.1 keep-alive\n"
        "  Host: example\n"
        "  Accept: */*\n"
        "  X-Empty: \n"
        "done@67\n");
}

TEST(HttpRequest, ContentLengthBody)
{
    expect_parse(request(), "POST /submit HTTP/1.1\r\nContent-Length: 011\r\n\r\nhello world",
        "head@46 POST /submit HTTP/1.1 keep-alive\n"
        "  Content-Length: 011\n"
        "body \"hello world\"\n"
        "done@57\n");
}

TEST(HttpRequest, ChunkedBodyWithExtensionsAndTrailers)
{
    expect_parse(request(),
        "POST /c HTTP/1.1\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n"
        "5;name=value;q=\"a \\\"b\\\"\" ; flag\r\nhello\r\n"
        "0006\r\n world\r\n"
        "0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n",
        "head@54 POST /c HTTP/1.1 keep-alive\n"
        "  Transfer-Encoding: gzip, Chunked\n"
        "body \"hello world\"\n"
        "done@142\n"
        "  X-Checksum: abc\n"
        "  X-Other: 1\n");
}

TEST(HttpRequest, PipelinedRequestsEndWhereTheParserSays)
{
    expect_parse(request(),
        "GET /1 HTTP/1.1\r\n\r\n"
        "POST /2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nab"
        "POST /3 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nc\r\n0\r\n\r\n"
        "GET /4 HTTP/1.1\r\nConnection: close\r\n\r\n",
        "head@19 GET /1 HTTP/1.1 keep-alive\n"
        "done@19\n"
        "head@58 POST /2 HTTP/1.1 keep-alive\n"
        "  Content-Length: 2\n"
        "body \"ab\"\n"
        "done@60\n"
        "head@108 POST /3 HTTP/1.1 keep-alive\n"
        "  Transfer-Encoding: chunked\n"
        "body \"c\"\n"
        "done@119\n"
        "head@157 GET /4 HTTP/1.1\n"
        "  Connection: close\n"
        "done@157\n");
}

TEST(HttpRequest, ParserStopsAtEachMessageEnd)
{
    std::string_view stream = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
    Parser parser(MessageType::Request);
    Step step = parser.execute(bytes_of(stream));
    EXPECT_EQ(step.event, Event::HeadersComplete);
    EXPECT_EQ(step.consumed, 19u);
    EXPECT_EQ(parser.head().target, "/a");
    step = parser.execute(bytes_of(stream.substr(19)));
    EXPECT_EQ(step.event, Event::MessageComplete);
    EXPECT_EQ(step.consumed, 0u);
    EXPECT_TRUE(parser.idle());
    step = parser.execute(bytes_of(stream.substr(19)));
    EXPECT_EQ(step.event, Event::HeadersComplete);
    EXPECT_EQ(step.consumed, 19u);
    EXPECT_EQ(parser.head().target, "/b");
}

TEST(HttpRequest, BodyIsAViewIntoTheInput)
{
    std::string_view stream = "PUT / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcdEXTRA";
    Parser parser(MessageType::Request);
    Step step = parser.execute(bytes_of(stream));
    ASSERT_EQ(step.event, Event::HeadersComplete);
    std::span<const uint8_t> rest = bytes_of(stream).subspan(step.consumed);
    step = parser.execute(rest);
    ASSERT_EQ(step.event, Event::Body);
    EXPECT_EQ(step.body.data(), rest.data());
    EXPECT_EQ(step.body.size(), 4u);
    EXPECT_EQ(parser.execute(rest.subspan(4)).event, Event::MessageComplete);
}

TEST(HttpRequest, EmptyLinesBeforeTheRequestLineAreIgnored)
{
    // RFC 9112 §2.2.
    expect_parse(request(), "\r\n\r\nGET / HTTP/1.1\r\n\r\n", "head@22 GET / HTTP/1.1 keep-alive\ndone@22\n");
}

TEST(HttpRequest, AnyTokenIsAMethod)
{
    // RFC 9110 §9.1: methods are case-sensitive tokens; which ones to serve is policy.
    expect_parse(request(), "M-SEARCH * HTTP/1.1\r\n\r\n", "head@23 M-SEARCH * HTTP/1.1 keep-alive\ndone@23\n");
    expect_parse(request(), "get http://a/b?c#d HTTP/1.1\r\n\r\n",
        "head@31 get http://a/b?c#d HTTP/1.1 keep-alive\ndone@31\n");
}

TEST(HttpRequest, KeepAliveFollowsVersionAndConnectionTokens)
{
    // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive".
    expect_parse(request(), "GET / HTTP/1.0\r\n\r\n", "head@18 GET / HTTP/1.0\ndone@18\n");
    expect_parse(request(), "GET / HTTP/1.0\r\nConnection: foo, Keep-Alive\r\n\r\n",
        "head@47 GET / HTTP/1.0 keep-alive\n  Connection: foo, Keep-Alive\ndone@47\n");
    expect_parse(request(), "GET / HTTP/1.1\r\nConnection: foo,CLOSE\r\n\r\n",
        "head@41 GET / HTTP/1.1\n  Connection: foo,CLOSE\ndone@41\n");
    expect_parse(request(), "GET / HTTP/1.1\r\nConnection: closed\r\n\r\n",
        "head@38 GET / HTTP/1.1 keep-alive\n  Connection: closed\ndone@38\n");
}

TEST(HttpRequest, TransferEncodingInHttp10ClosesTheConnection)
{
    // RFC 9112 §6.1: the framing is suspect; process the message, then close.
    expect_parse(request(), "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "head@71 POST / HTTP/1.0\n  Connection: keep-alive\n  Transfer-Encoding: chunked\ndone@76\n");
}

TEST(HttpRequest, OnlyLineEndsMayFollowAMessageThatClosesTheConnection)
{
    expect_parse(request(), "GET / HTTP/1.1\r\nConnection: close\r\n\r\n\r\n",
        "head@37 GET / HTTP/1.1\n  Connection: close\ndone@37\n");
    expect_parse(request(), "GET / HTTP/1.0\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
        "head@18 GET / HTTP/1.0\ndone@18\nerror@18 HPE_CLOSED_CONNECTION Data after `Connection: close`\n");
}

TEST(HttpRequest, ConnectStartsATunnel)
{
    // RFC 9110 §9.3.6: what follows the header section is the tunnel's.
    expect_parse(request(), "CONNECT host:443 HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz",
        "head@48 CONNECT host:443 HTTP/1.1 keep-alive upgrade\n  Content-Length: 3\ndone@48\nupgraded@48\n");
}

TEST(HttpRequest, UpgradeIsTheCallersChoice)
{
    std::string_view stream = "GET /ws HTTP/1.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n"
                              "GET /next HTTP/1.1\r\n\r\n";
    std::string head = "head@73 GET /ws HTTP/1.1 keep-alive upgrade\n"
                       "  Connection: keep-alive, Upgrade\n"
                       "  Upgrade: websocket\n"
                       "done@73\n";
    // A server without an upgrade handler serves it as a plain request.
    expect_parse(request(), stream, head + "head@95 GET /next HTTP/1.1 keep-alive\ndone@95\n");
    Exercise accepting = request();
    accepting.accept_upgrades = true;
    expect_parse(accepting, stream, head + "upgraded@73\n");
    // Upgrade without the Connection option is not a request to upgrade.
    expect_parse(request(), "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n",
        "head@38 GET / HTTP/1.1 keep-alive\n  Upgrade: websocket\ndone@38\n");
}

TEST(HttpRequest, EndOfStream)
{
    expect_parse(request(), "GET / HTTP/1.1\r\n\r\n", "head@18 GET / HTTP/1.1 keep-alive\ndone@18\n");
    expect_error(request(), "GET / HTTP/1.1\r\nHost: x", "HPE_INVALID_EOF_STATE");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", "HPE_INVALID_EOF_STATE");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", "HPE_INVALID_EOF_STATE");
    expect_error(request(), "\r", "HPE_INVALID_EOF_STATE");
}

TEST(HttpRequest, LineEndsAreCrLf)
{
    // Node 20's llhttp rejects a bare LF by default, and so do we: a proxy that
    // accepts it and one that does not see different messages.
    expect_error(request(), "GET / HTTP/1.1\nHost: x\n\n", "HPE_CR_EXPECTED");
    expect_error(request(), "GET / HTTP/1.1\r\nHost: x\n\r\n", "HPE_CR_EXPECTED");
    expect_error(request(), "GET / HTTP/1.1\r\nHost: x\r\n\n", "HPE_CR_EXPECTED");
    expect_error(request(), "\nGET / HTTP/1.1\r\n\r\n", "HPE_CR_EXPECTED");
    expect_error(request(), "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "HPE_LF_EXPECTED");
    expect_error(request(), "GET / HTTP/1.1\r\nX: a\r\r\n\r\n", "HPE_LF_EXPECTED");
    expect_error(request(), "GET / HTTP/1.1\r\n\r\r\n", "HPE_LF_EXPECTED");
}

TEST(HttpRequest, RequestLineGrammar)
{
    expect_error(request(), "G(T / HTTP/1.1\r\n\r\n", "HPE_INVALID_METHOD");
    expect_error(request(), " GET / HTTP/1.1\r\n\r\n", "HPE_INVALID_METHOD");
    expect_error(request(), "GET\r\n\r\n", "HPE_INVALID_METHOD");
    expect_error(request(), "GET  / HTTP/1.1\r\n\r\n", "HPE_INVALID_URL");
    expect_error(request(), "GET /a\tb HTTP/1.1\r\n\r\n", "HPE_INVALID_URL");
    expect_error(request(), "GET /\x7f HTTP/1.1\r\n\r\n", "HPE_INVALID_URL");
    expect_error(request(), "GET /\xff HTTP/1.1\r\n\r\n", "HPE_INVALID_URL");
    expect_error(request(), std::string_view("GET /\0 HTTP/1.1\r\n\r\n", 19), "HPE_INVALID_URL");
    expect_error(request(), "GET / http/1.1\r\n\r\n", "HPE_INVALID_CONSTANT");
    expect_error(request(), "GET /  HTTP/1.1\r\n\r\n", "HPE_INVALID_CONSTANT");
    expect_error(request(), "GET / HTTP/1.2\r\n\r\n", "HPE_INVALID_VERSION");
    expect_error(request(), "GET / HTTP/2.0\r\n\r\n", "HPE_INVALID_VERSION");
    expect_error(request(), "GET / HTTP/0.9\r\n\r\n", "HPE_INVALID_VERSION");
    expect_error(request(), "GET / HTTP/11\r\n\r\n", "HPE_INVALID_VERSION");
    expect_error(request(), "GET / HTTP/1.1 \r\n\r\n", "HPE_INVALID_VERSION");
    expect_error(request(), "GET /\r\n\r\n", "HPE_INVALID_VERSION");
}

TEST(HttpRequest, FieldLineGrammar)
{
    // RFC 9112 §5.1: no whitespace between name and colon; §5.2: no obs-fold.
    expect_error(request(), "GET / HTTP/1.1\r\nHost : x\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\nHost: x\r\n y\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\nHost: x\r\n\ty\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\n Host: x\r\n\r\n", "HPE_UNEXPECTED_SPACE");
    expect_error(request(), "GET / HTTP/1.1\r\nHost\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\n: x\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\nHo\"st: x\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), std::string_view("GET / HTTP/1.1\r\nHo\0st: x\r\n\r\n", 29), "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), std::string_view("GET / HTTP/1.1\r\nX: a\0b\r\n\r\n", 27), "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\nX: a\x01\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    expect_error(request(), "GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
    // obs-text and inner whitespace are allowed in values (RFC 9110 §5.5).
    expect_parse(request(), "GET / HTTP/1.1\r\nX: a\xff\tb c\r\n\r\n",
        "head@29 GET / HTTP/1.1 keep-alive\n  X: a\\xff\\x09b c\ndone@29\n");
}

TEST(HttpRequest, ContentLengthIsDigitsOnce)
{
    // RFC 9110 §8.6 and RFC 9112 §6.3 item 5: an invalid length is unrecoverable.
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc", "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc", "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\nabc", "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 0x3\r\n\r\nabc", "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\nabc", "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length:\r\n\r\nabc", "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n",
        "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\nabc",
        "HPE_UNEXPECTED_CONTENT_LENGTH");
    // Equal duplicates too, as llhttp: one of two parsers may take the first only.
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc",
        "HPE_UNEXPECTED_CONTENT_LENGTH");
    expect_parse(request(), "POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\nab",
        "head@57 POST / HTTP/1.1 keep-alive\n  Content-Length: 18446744073709551615\nbody \"ab\"\n"
        "error@59 HPE_INVALID_EOF_STATE Invalid EOF state\n");
}

TEST(HttpRequest, SmugglingFramingIsRejected)
{
    // RFC 9112 §6.3 item 3: Transfer-Encoding with Content-Length, either order.
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
        "HPE_INVALID_CONTENT_LENGTH");
    expect_error(request(), "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HPE_INVALID_TRANSFER_ENCODING");
    // §6.1: chunked is last, once, without parameters; item 4: a request not ending
    // in chunked has no length.
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
        "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
        "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked , \r\n\r\n", "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: chunkedx\r\n\r\n", "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(request(), "POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", "HPE_INVALID_TRANSFER_ENCODING");
    // Split across fields, the codings form one list.
    expect_parse(request(), "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "head@72 POST / HTTP/1.1 keep-alive\n  Transfer-Encoding: gzip\n  Transfer-Encoding: chunked\ndone@77\n");
}

TEST(HttpRequest, ChunkSizeLines)
{
    const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect_error(request(), head + "3 \r\nabc\r\n0\r\n\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "\r\n3\r\nabc\r\n0\r\n\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "0x3\r\nabc\r\n0\r\n\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "-3\r\nabc\r\n0\r\n\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "10000000000000000\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "3\nabc\r\n0\r\n\r\n", "HPE_CR_EXPECTED");
    expect_error(request(), head + "3\r\nabcX\r\n0\r\n\r\n", "HPE_STRICT");
    expect_error(request(), head + "3\r\nabc\rX\n0\r\n\r\n", "HPE_STRICT");
    expect_error(request(), head + "3;\r\nabc\r\n0\r\n\r\n", "HPE_STRICT");
    expect_error(request(), head + "3;a=\r\nabc\r\n0\r\n\r\n", "HPE_STRICT");
    expect_error(request(), head + "3;a b\r\nabc\r\n0\r\n\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "3;a=\"b\r\nabc\r\n0\r\n\r\n", "HPE_STRICT");
    expect_error(request(), head + "3;a=b\x01\r\nabc\r\n0\r\n\r\n", "HPE_INVALID_CHUNK_SIZE");
    expect_error(request(), head + "3;a=\"\x01\"\r\nabc\r\n0\r\n\r\n", "HPE_STRICT");
    // The largest size parses; the body then simply has not arrived.
    expect_parse(request(), head + "ffffffffffffffff\r\nab",
        "head@47 POST / HTTP/1.1 keep-alive\n  Transfer-Encoding: chunked\nbody \"ab\"\n"
        "error@67 HPE_INVALID_EOF_STATE Invalid EOF state\n");
    // Trailer fields follow the field-line grammar.
    expect_error(request(), head + "0\r\nX : 1\r\n\r\n", "HPE_INVALID_HEADER_TOKEN");
}

TEST(HttpRequest, HeaderSectionLimit)
{
    // The whole section counts: start line, fields, line ends (16 KiB as Node).
    std::string start = "GET / HTTP/1.1\r\nX: ";
    std::string fits = start + std::string(16384 - start.size() - 4, 'a') + "\r\n\r\n";
    ASSERT_EQ(fits.size(), 16384u);
    std::string result = split_invariant_transcript(request(), fits);
    EXPECT_TRUE(result.starts_with("head@16384 ")) << result.substr(0, 80);
    std::string over = start + std::string(16384 - start.size() - 3, 'a') + "\r\n\r\n";
    EXPECT_EQ(split_invariant_transcript(request(), over), "error@16384 HPE_HEADER_OVERFLOW Header overflow\n");
    // A section that never ends is cut at the limit.
    EXPECT_EQ(split_invariant_transcript(request(), start + std::string(20000, 'a')),
        "error@16384 HPE_HEADER_OVERFLOW Header overflow\n");
    // Configurable, and the same budget applies to trailers.
    Exercise small = request();
    small.limits.max_header_size = 64;
    expect_error(small, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: " + std::string(62, 'b') + "\r\n\r\n",
        "HPE_HEADER_OVERFLOW");
    expect_error(small, std::string(70, '\r') + "", "HPE_HEADER_OVERFLOW");
}

TEST(HttpRequest, HeaderCountLimit)
{
    Exercise small = request();
    small.limits.max_header_count = 2;
    expect_parse(small, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\n\r\n", "head@30 GET / HTTP/1.1 keep-alive\n  A: 1\n  B: 2\ndone@30\n");
    expect_error(small, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", "HPE_HEADER_OVERFLOW");
}

TEST(HttpRequest, ChunkExtensionLimit)
{
    // Per message, so many small extensions add up (CVE-2024-22019).
    Exercise small = request();
    small.limits.max_chunk_extensions = 16;
    const std::string head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    expect_parse(small, head + "1;abcdefgh\r\nx\r\n1;abcdef\r\ny\r\n0\r\n\r\n",
        "head@47 POST / HTTP/1.1 keep-alive\n  Transfer-Encoding: chunked\nbody \"xy\"\ndone@80\n");
    expect_error(small, head + "1;abcdefgh\r\nx\r\n1;abcdefg\r\ny\r\n0\r\n\r\n", "HPE_CHUNK_EXTENSIONS_OVERFLOW");
    expect_error(request(), head + "1;" + std::string(17000, 'a') + "\r\nx\r\n0\r\n\r\n", "HPE_CHUNK_EXTENSIONS_OVERFLOW");
}

TEST(HttpRequest, ErrorsAreStickyAndIdleIsTracked)
{
    Parser parser(MessageType::Request);
    EXPECT_TRUE(parser.idle());
    EXPECT_EQ(parser.execute(bytes_of("GET / HT")).event, Event::NeedInput);
    EXPECT_FALSE(parser.idle());
    Step step = parser.execute(bytes_of("XP/1.1\r\n"));
    EXPECT_EQ(step.event, Event::Error);
    EXPECT_EQ(parser.error().code, ErrorCode::InvalidConstant);
    EXPECT_EQ(error_code_name(parser.error().code), "HPE_INVALID_CONSTANT");
    EXPECT_EQ(parser.execute(bytes_of("GET / HTTP/1.1\r\n\r\n")).event, Event::Error);
    EXPECT_EQ(parser.finish().event, Event::Error);
}

} // namespace
} // namespace kiln::http::test

// The HTTP/1.1 parser on responses (RFC 9112 §4, §6.3). Every case also runs byte by
// byte and cut at every point (http_parser_test_util.h).
#include <gtest/gtest.h>

#include "http_parser_test_util.h"

namespace kiln::http::test {
namespace {

TEST(HttpResponse, ContentLengthThenNextResponse)
{
    expect_parse(response(), "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 404 Not  Found\r\nContent-Length: 0\r\n\r\n",
        "head@38 HTTP/1.1 200 \"OK\" keep-alive\n  Content-Length: 3\nbody \"abc\"\ndone@41\n"
        "head@87 HTTP/1.1 404 \"Not  Found\" keep-alive\n  Content-Length: 0\ndone@87\n");
}

TEST(HttpResponse, WithoutLengthTheBodyRunsToTheEnd)
{
    // RFC 9112 §6.3 item 8; such a connection cannot be kept.
    expect_parse(response(), "HTTP/1.1 200 OK\r\n\r\nabc\r\n\r\nHTTP/1.1 200 OK\r\n",
        "head@19 HTTP/1.1 200 \"OK\"\nbody \"abc\\r\\n\\r\\nHTTP/1.1 200 OK\\r\\n\"\ndone@43\n");
    // A coding other than chunked last: also until the end (item 4).
    expect_parse(response(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc",
        "head@44 HTTP/1.1 200 \"OK\"\n  Transfer-Encoding: gzip\nbody \"abc\"\ndone@47\n");
}

TEST(HttpResponse, ChunkedWithTrailers)
{
    expect_parse(response(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n",
        "head@47 HTTP/1.1 200 \"OK\" keep-alive\n  Transfer-Encoding: chunked\nbody \"abc\"\ndone@68\n  X-T: 1\n");
}

TEST(HttpResponse, ResponsesWithoutBodies)
{
    // RFC 9110 §6.4.1: 1xx, 204 and 304 never have content, whatever the fields say.
    expect_parse(response(), "HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\nHTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
        "head@46 HTTP/1.1 204 \"No Content\" keep-alive\n  Content-Length: 3\ndone@46\n"
        "head@103 HTTP/1.1 304 \"Not Modified\" keep-alive\n  Transfer-Encoding: chunked\ndone@103\n");
    // A response to HEAD: the caller says so after the head.
    Exercise head_request = response();
    head_request.skip_bodies = true;
    expect_parse(head_request, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
        "head@41 HTTP/1.1 200 \"OK\" keep-alive\n  Content-Length: 1000\ndone@41\nhead@60 HTTP/1.1 200 \"OK\"\ndone@60\n");
}

TEST(HttpResponse, InterimResponsesPrecedeTheFinalOne)
{
    expect_parse(response(), "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx",
        "head@25 HTTP/1.1 100 \"Continue\" keep-alive\ndone@25\n"
        "head@65 HTTP/1.1 103 \"Early Hints\" keep-alive\n  Link: </a>\ndone@65\n"
        "head@103 HTTP/1.1 200 \"OK\" keep-alive\n  Content-Length: 1\nbody \"x\"\ndone@104\n");
}

TEST(HttpResponse, SwitchingProtocolsEndsHttp)
{
    expect_parse(response(), "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ws\r\n\r\n\x81\x05hello",
        "head@70 HTTP/1.1 101 \"Switching Protocols\" keep-alive upgrade\n  Connection: Upgrade\n  Upgrade: ws\n"
        "done@70\nupgraded@70\n");
}

TEST(HttpResponse, KeepAlive)
{
    expect_parse(response(), "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "head@38 HTTP/1.0 200 \"OK\"\n  Content-Length: 0\ndone@38\n");
    expect_parse(response(), "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
        "head@62 HTTP/1.0 200 \"OK\" keep-alive\n  Connection: keep-alive\n  Content-Length: 0\ndone@62\n");
    expect_parse(response(), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx\r\n",
        "head@57 HTTP/1.1 200 \"OK\"\n  Connection: close\n  Content-Length: 1\nbody \"x\"\ndone@58\n");
    expect_error(response(), "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\n",
        "HPE_CLOSED_CONNECTION");
}

TEST(HttpResponse, StatusLineGrammar)
{
    // A missing reason-phrase (even its SP) is accepted, as every client does.
    expect_parse(response(), "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
        "head@35 HTTP/1.1 200 \"\" keep-alive\n  Content-Length: 0\ndone@35\n");
    expect_parse(response(), "HTTP/1.1 599 \r\nContent-Length: 0\r\n\r\n",
        "head@36 HTTP/1.1 599 \"\" keep-alive\n  Content-Length: 0\ndone@36\n");
    expect_parse(response(), "HTTP/1.1 200 O\tK\xe9\r\nContent-Length: 0\r\n\r\n",
        "head@40 HTTP/1.1 200 \"O\\x09K\\xe9\" keep-alive\n  Content-Length: 0\ndone@40\n");
    expect_error(response(), "HTTP/1.1 2000 OK\r\n\r\n", "HPE_INVALID_STATUS");
    expect_error(response(), "HTTP/1.1 20 OK\r\n\r\n", "HPE_INVALID_STATUS");
    expect_error(response(), "HTTP/1.1 099 OK\r\n\r\n", "HPE_INVALID_STATUS");
    expect_error(response(), "HTTP/1.1  200 OK\r\n\r\n", "HPE_INVALID_STATUS");
    expect_error(response(), "HTTP/1.1\r\n\r\n", "HPE_INVALID_STATUS");
    expect_error(response(), "HTTP/1.1 200 O\x01K\r\n\r\n", "HPE_INVALID_STATUS");
    expect_error(response(), "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        "HPE_INVALID_TRANSFER_ENCODING");
    expect_error(response(), "ICE/1.1 200 OK\r\n\r\n", "HPE_INVALID_CONSTANT");
    expect_error(response(), "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", "HPE_CR_EXPECTED");
}

TEST(HttpResponse, EndOfStream)
{
    expect_error(response(), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", "HPE_INVALID_EOF_STATE");
    expect_error(response(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r",
        "HPE_INVALID_EOF_STATE");
    expect_parse(response(), "HTTP/1.1 200 OK\r\n\r\n", "head@19 HTTP/1.1 200 \"OK\"\ndone@19\n");
}

} // namespace
} // namespace kiln::http::test

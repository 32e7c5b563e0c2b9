#pragma once

// An incremental HTTP/1.1 message parser (RFC 9112) for requests and responses. No I/O,
// no V8, no allocation per byte: the caller feeds bytes with execute() and gets one
// event per call, in the spirit of llhttp's callbacks but pulled rather than pushed:
//
//   for (;;) {
//       Step step = parser.execute(input);
//       input = input.subspan(step.consumed);
//       if (step.event == Event::NeedInput) break;   // all of `input` was used
//       ... HeadersComplete: parser.head(); Body: step.body; MessageComplete:
//           parser.trailers(); Error: parser.error(); Upgraded: input is not HTTP
//   }
//
// Any split of a stream across execute() calls gives the same events (body bytes may
// arrive in different pieces). The parser stops after each event, so a pipelined
// request waits in the caller's buffer until it asks for more, and `consumed` says
// where the next message starts.
//
// Strict where laxness allows request smuggling or hides bugs: CR LF line endings only
// (a bare LF is an error, as in Node 20's llhttp), token methods and field names, no
// whitespace before a colon (§5.1), no obs-fold (§5.2), one Content-Length of digits
// (RFC 9110 §8.6; a duplicate is an error even when equal, as in llhttp), no
// Content-Length together with Transfer-Encoding (§6.3), chunked only as the final
// coding (§6.1), hex chunk sizes with an overflow check, a bounded header section and
// bounded chunk extensions. Errors carry llhttp's codes (HPE_*), so JS sees Node's.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiln::http {

enum class MessageType : uint8_t { Request, Response };

// llhttp's error codes that this parser can produce; error_code_name() spells them.
enum class ErrorCode : uint8_t {
    None,
    InvalidMethod,
    InvalidUrl,
    InvalidConstant,
    InvalidVersion,
    InvalidStatus,
    InvalidHeaderToken,
    UnexpectedSpace,
    CrExpected,
    LfExpected,
    HeaderOverflow,
    InvalidContentLength,
    UnexpectedContentLength,
    InvalidTransferEncoding,
    InvalidChunkSize,
    ChunkExtensionsOverflow,
    Strict,
    InvalidEofState,
    ClosedConnection,
};

// "HPE_INVALID_METHOD" for ErrorCode::InvalidMethod, "HPE_OK" for None.
std::string_view error_code_name(ErrorCode code);

struct ParseError {
    ErrorCode code = ErrorCode::None;
    std::string_view reason; // static text, e.g. "Invalid method encountered"
};

struct Header {
    std::string_view name;
    std::string_view value; // without leading and trailing whitespace
};

// The start line and header section of one message. Views into the parser's buffer:
// valid until the next execute() or finish(); so are trailers().
struct MessageHead {
    std::string_view method; // requests
    std::string_view target; // requests: the request-target as sent
    unsigned status_code = 0; // responses
    std::string_view reason; // responses: the reason-phrase, possibly empty
    unsigned version_major = 1;
    unsigned version_minor = 1;
    std::span<const Header> headers;
    // Whether the connection may carry another message after this one, as llhttp's
    // llhttp_should_keep_alive(): Connection tokens, the version, and false when the
    // body runs to the end of the connection.
    bool keep_alive = false;
    // CONNECT, a 101 response, or a request with `Connection: upgrade` and `Upgrade`.
    bool upgrade = false;
};

struct Limits {
    // Bytes of the whole header section (start line, field lines, CR LFs); the same
    // budget applies to a trailer section. Node's default --max-http-header-size.
    size_t max_header_size = 16 * 1024;
    size_t max_header_count = 2000;
    // Bytes of chunk extensions per message (Node's limit since CVE-2024-22019).
    size_t max_chunk_extensions = 16 * 1024;
};

enum class Event : uint8_t {
    NeedInput, // everything given was consumed; nothing else to report
    HeadersComplete, // head() is ready; skip_body() or upgrade() may be called now
    Body, // Step::body holds the next bytes of the body, a view into the input
    MessageComplete, // trailers() is ready; the next byte starts the next message
    Upgraded, // the stream after the last message is another protocol; consumed is 0
    Error, // error() says why; the parser stays failed
};

struct Step {
    Event event = Event::NeedInput;
    // Bytes of the input this step used, never more than given. For an Error, the
    // bytes up to where it was found: a line's errors at its LF, a limit at the
    // first byte over it, the same stream position however the input was cut.
    size_t consumed = 0;
    std::span<const uint8_t> body;
};

class Parser {
public:
    explicit Parser(MessageType type, Limits limits = {});

    Step execute(std::span<const uint8_t> input);
    // The peer closed the connection: completes a body that runs to the end of the
    // connection (RFC 9112 §6.3 item 8); a partial message is HPE_INVALID_EOF_STATE.
    // Call until it returns NeedInput or Error.
    Step finish();

    // Right after HeadersComplete: the message has no body whatever its header says
    // (a response to HEAD, RFC 9110 §9.3.2).
    void skip_body();
    // Right after HeadersComplete: the message ends with its header section and the
    // bytes after it belong to another protocol (an accepted Upgrade). CONNECT
    // requests and 101 responses upgrade without asking.
    void upgrade();

    const MessageHead& head() const { return m_head; }
    std::span<const Header> trailers() const { return m_fields; }
    const ParseError& error() const { return m_error; }
    MessageType type() const { return m_type; }
    // Between messages with nothing buffered (the connection could close cleanly).
    bool idle() const;

private:
    enum class State : uint8_t {
        StartLine,
        HeaderLines,
        HeadDone, // HeadersComplete reported; the body decision is next
        BodyLength,
        BodyUntilEof,
        ChunkSizeLine,
        ChunkData,
        ChunkDataCr,
        ChunkDataLf,
        TrailerLines,
        MessageDone, // the last body byte was reported; MessageComplete is next
        Closed, // after a message that does not keep the connection alive
        Upgraded,
        Failed,
    };
    enum class BodyKind : uint8_t { None, Length, Chunked, UntilEof };

    // A piece of m_buffer by position, turned into a view once the buffer is complete
    // (it may move while it grows).
    struct Slice {
        uint32_t offset = 0;
        uint32_t length = 0;
    };
    struct FieldSpan {
        Slice name;
        Slice value;
    };
    std::string_view view(Slice slice) const { return { m_buffer.data() + slice.offset, slice.length }; }
    Slice slice(std::string_view text) const
    {
        return { static_cast<uint32_t>(text.data() - m_buffer.data()), static_cast<uint32_t>(text.size()) };
    }

    Step fail(ErrorCode code, std::string_view reason, size_t consumed);
    // fail() for the line checks, which report through their return value.
    bool reject(ErrorCode code, std::string_view reason);
    Event process_line();
    bool parse_request_line(std::string_view line);
    bool parse_status_line(std::string_view line);
    bool parse_version(std::string_view text);
    bool parse_field_line(std::string_view line, bool trailer);
    bool interpret_field(std::string_view name, std::string_view value);
    bool parse_content_length(std::string_view value);
    bool parse_transfer_encoding(std::string_view value);
    void parse_connection(std::string_view value);
    bool finish_head();
    bool parse_chunk_size_line(std::string_view line);
    void begin_chunk_size_line();
    void publish_fields();
    void start_message();
    Step complete_message(size_t consumed);

    MessageType m_type;
    Limits m_limits;
    State m_state = State::StartLine;
    ParseError m_error;

    std::string m_buffer; // the header (or trailer) section, or a chunk-size line
    size_t m_line_start = 0; // where the line being collected starts in m_buffer
    size_t m_budget = 0; // bytes the section (or chunk line) may still take
    std::vector<FieldSpan> m_spans;
    Slice m_method;
    Slice m_target;
    Slice m_reason;
    std::vector<Header> m_fields;
    MessageHead m_head;

    // Framing of the current message, from its header section.
    BodyKind m_body = BodyKind::None;
    uint64_t m_remaining = 0; // body or chunk bytes still to come
    uint64_t m_content_length = 0;
    size_t m_chunk_extension_bytes = 0;
    bool m_has_content_length = false;
    bool m_has_transfer_encoding = false;
    bool m_chunked_last = false;
    bool m_connection_close = false;
    bool m_connection_keep_alive = false;
    bool m_connection_upgrade = false;
    bool m_has_upgrade = false;
    bool m_upgrade_now = false; // the message ends after its head; then Upgraded
    bool m_start_pending = true; // the next byte starts a message: reset first
};

} // namespace kiln::http

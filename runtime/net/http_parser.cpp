#include "runtime/net/http_parser.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "runtime/net/http_grammar.h"

namespace kiln::http {

using namespace grammar;

namespace {

// A chunk-size line may hold, besides its extensions, the hex size (leading zeros are
// allowed, so a few more than 16 digits) and its CR LF.
constexpr size_t k_chunk_line_slack = 64;

constexpr uint64_t k_max_u64 = std::numeric_limits<uint64_t>::max();

} // namespace

std::string_view error_code_name(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None:
        return "HPE_OK";
    case ErrorCode::InvalidMethod:
        return "HPE_INVALID_METHOD";
    case ErrorCode::InvalidUrl:
        return "HPE_INVALID_URL";
    case ErrorCode::InvalidConstant:
        return "HPE_INVALID_CONSTANT";
    case ErrorCode::InvalidVersion:
        return "HPE_INVALID_VERSION";
    case ErrorCode::InvalidStatus:
        return "HPE_INVALID_STATUS";
    case ErrorCode::InvalidHeaderToken:
        return "HPE_INVALID_HEADER_TOKEN";
    case ErrorCode::UnexpectedSpace:
        return "HPE_UNEXPECTED_SPACE";
    case ErrorCode::CrExpected:
        return "HPE_CR_EXPECTED";
    case ErrorCode::LfExpected:
        return "HPE_LF_EXPECTED";
    case ErrorCode::HeaderOverflow:
        return "HPE_HEADER_OVERFLOW";
    case ErrorCode::InvalidContentLength:
        return "HPE_INVALID_CONTENT_LENGTH";
    case ErrorCode::UnexpectedContentLength:
        return "HPE_UNEXPECTED_CONTENT_LENGTH";
    case ErrorCode::InvalidTransferEncoding:
        return "HPE_INVALID_TRANSFER_ENCODING";
    case ErrorCode::InvalidChunkSize:
        return "HPE_INVALID_CHUNK_SIZE";
    case ErrorCode::ChunkExtensionsOverflow:
        return "HPE_CHUNK_EXTENSIONS_OVERFLOW";
    case ErrorCode::Strict:
        return "HPE_STRICT";
    case ErrorCode::InvalidEofState:
        return "HPE_INVALID_EOF_STATE";
    case ErrorCode::ClosedConnection:
        return "HPE_CLOSED_CONNECTION";
    }
    return "HPE_INTERNAL";
}

Parser::Parser(MessageType type, Limits limits)
    : m_type(type)
    , m_limits(limits)
{
    start_message();
}

bool Parser::idle() const
{
    return (m_state == State::StartLine && (m_start_pending || m_buffer.empty())) || m_state == State::Closed;
}

void Parser::start_message()
{
    m_start_pending = false;
    m_buffer.clear();
    m_line_start = 0;
    m_budget = m_limits.max_header_size;
    m_spans.clear();
    m_fields.clear();
    m_method = m_target = m_reason = {};
    m_head = {};
    m_body = BodyKind::None;
    m_remaining = 0;
    m_content_length = 0;
    m_chunk_extension_bytes = 0;
    m_has_content_length = false;
    m_has_transfer_encoding = false;
    m_chunked_last = false;
    m_connection_close = false;
    m_connection_keep_alive = false;
    m_connection_upgrade = false;
    m_has_upgrade = false;
    m_upgrade_now = false;
}

Step Parser::fail(ErrorCode code, std::string_view reason, size_t consumed)
{
    m_state = State::Failed;
    m_error = { code, reason };
    return { Event::Error, consumed, {} };
}

void Parser::skip_body()
{
    if (m_state == State::HeadDone)
        m_body = BodyKind::None;
}

void Parser::upgrade()
{
    if (m_state == State::HeadDone)
        m_upgrade_now = true;
}

Step Parser::execute(std::span<const uint8_t> input)
{
    size_t pos = 0;
    for (;;) {
        std::span<const uint8_t> rest = input.subspan(pos);
        switch (m_state) {
        case State::StartLine:
            if (m_start_pending)
                start_message();
            [[fallthrough]];
        case State::HeaderLines:
        case State::ChunkSizeLine:
        case State::TrailerLines: {
            // The line-oriented parts: a line is checked once its LF is here, so an
            // error is found at the same stream position however the input is split.
            if (rest.empty())
                return { Event::NeedInput, pos, {} };
            const void* lf = std::memchr(rest.data(), '\n', rest.size());
            size_t take = lf ? static_cast<size_t>(static_cast<const uint8_t*>(lf) - rest.data()) + 1 : rest.size();
            if (take > m_budget) {
                if (m_state == State::ChunkSizeLine)
                    return fail(ErrorCode::ChunkExtensionsOverflow, "Chunk extensions overflow", pos + m_budget);
                return fail(ErrorCode::HeaderOverflow, "Header overflow", pos + m_budget);
            }
            m_budget -= take;
            m_buffer.append(reinterpret_cast<const char*>(rest.data()), take);
            pos += take;
            if (!lf)
                return { Event::NeedInput, pos, {} };
            Event event = process_line();
            if (event == Event::NeedInput)
                continue;
            if (event == Event::MessageComplete)
                return complete_message(pos);
            return { event, pos, {} };
        }
        case State::HeadDone:
            // The head's fields are not trailers.
            m_fields.clear();
            if (m_upgrade_now)
                m_body = BodyKind::None;
            switch (m_body) {
            case BodyKind::None:
                return complete_message(pos);
            case BodyKind::Length:
                m_remaining = m_content_length;
                m_state = State::BodyLength;
                break;
            case BodyKind::Chunked:
                begin_chunk_size_line();
                break;
            case BodyKind::UntilEof:
                m_state = State::BodyUntilEof;
                break;
            }
            continue;
        case State::BodyLength:
        case State::ChunkData: {
            if (rest.empty())
                return { Event::NeedInput, pos, {} };
            size_t take = static_cast<size_t>(std::min<uint64_t>(m_remaining, rest.size()));
            m_remaining -= take;
            if (m_remaining == 0)
                m_state = m_state == State::BodyLength ? State::MessageDone : State::ChunkDataCr;
            return { Event::Body, pos + take, rest.first(take) };
        }
        case State::BodyUntilEof:
            if (rest.empty())
                return { Event::NeedInput, pos, {} };
            return { Event::Body, input.size(), rest };
        case State::ChunkDataCr:
        case State::ChunkDataLf: {
            // RFC 9112 §7.1: chunk-data is followed by CRLF, nothing else.
            if (rest.empty())
                return { Event::NeedInput, pos, {} };
            bool expect_cr = m_state == State::ChunkDataCr;
            if (rest[0] != (expect_cr ? '\r' : '\n'))
                return fail(ErrorCode::Strict, expect_cr ? "Expected CR after chunk data" : "Expected LF after chunk data",
                    pos);
            ++pos;
            if (expect_cr)
                m_state = State::ChunkDataLf;
            else
                begin_chunk_size_line();
            continue;
        }
        case State::MessageDone:
            return complete_message(pos);
        case State::Closed:
            // As llhttp: after a message that closes the connection only stray line
            // ends may follow.
            for (; pos < input.size(); ++pos) {
                if (input[pos] != '\r' && input[pos] != '\n')
                    return fail(ErrorCode::ClosedConnection, "Data after `Connection: close`", pos);
            }
            return { Event::NeedInput, pos, {} };
        case State::Upgraded:
            return { Event::Upgraded, pos, {} };
        case State::Failed:
            return { Event::Error, pos, {} };
        }
    }
}

Step Parser::finish()
{
    for (;;) {
        switch (m_state) {
        case State::StartLine:
            if (m_start_pending || m_buffer.empty())
                return { Event::NeedInput, 0, {} };
            break;
        case State::HeadDone:
        case State::MessageDone: {
            Step step = execute({});
            if (step.event != Event::NeedInput)
                return step;
            continue;
        }
        case State::BodyUntilEof:
            return complete_message(0);
        case State::Closed:
        case State::Upgraded:
            return { Event::NeedInput, 0, {} };
        case State::Failed:
            return { Event::Error, 0, {} };
        default:
            break;
        }
        return fail(ErrorCode::InvalidEofState, "Invalid EOF state", 0);
    }
}

Step Parser::complete_message(size_t consumed)
{
    if (m_upgrade_now)
        m_state = State::Upgraded;
    else if (m_head.keep_alive)
        m_state = State::StartLine;
    else
        m_state = State::Closed;
    // The buffer still backs trailers(); it is reset when the next message starts.
    m_start_pending = true;
    return { Event::MessageComplete, consumed, {} };
}

void Parser::begin_chunk_size_line()
{
    m_state = State::ChunkSizeLine;
    m_buffer.clear();
    m_line_start = 0;
    m_budget = m_limits.max_chunk_extensions - m_chunk_extension_bytes + k_chunk_line_slack;
}

// The line just collected (it ends with LF), without its line end; an error when the
// LF has no CR before it, or a CR appears anywhere else (RFC 9112 §2.2).
Event Parser::process_line()
{
    std::string_view line(m_buffer.data() + m_line_start, m_buffer.size() - m_line_start);
    if (line.size() < 2 || line[line.size() - 2] != '\r') {
        fail(ErrorCode::CrExpected, "Missing expected CR before LF", 0);
        return Event::Error;
    }
    line.remove_suffix(2);
    if (std::memchr(line.data(), '\r', line.size())) {
        fail(ErrorCode::LfExpected, "Missing expected LF after CR", 0);
        return Event::Error;
    }

    bool ok = true;
    switch (m_state) {
    case State::StartLine:
        // RFC 9112 §2.2: empty lines before a request line are ignored (llhttp does
        // the same for responses). They still count against the header budget.
        if (line.empty()) {
            m_buffer.clear();
            return Event::NeedInput;
        }
        ok = m_type == MessageType::Request ? parse_request_line(line) : parse_status_line(line);
        if (ok)
            m_state = State::HeaderLines;
        break;
    case State::HeaderLines:
        if (line.empty())
            return finish_head() ? Event::HeadersComplete : Event::Error;
        ok = parse_field_line(line, false);
        break;
    case State::TrailerLines:
        if (line.empty()) {
            publish_fields();
            return Event::MessageComplete;
        }
        ok = parse_field_line(line, true);
        break;
    case State::ChunkSizeLine:
        ok = parse_chunk_size_line(line);
        break;
    default:
        break;
    }
    m_line_start = m_buffer.size();
    return ok ? Event::NeedInput : Event::Error;
}

bool Parser::reject(ErrorCode code, std::string_view reason)
{
    fail(code, reason, 0);
    return false;
}

// RFC 9112 §3: request-line = method SP request-target SP HTTP-version
bool Parser::parse_request_line(std::string_view line)
{
    size_t method_length = span_of(line, k_token);
    if (method_length == 0 || method_length == line.size() || line[method_length] != ' ')
        return reject(ErrorCode::InvalidMethod, "Invalid method encountered");
    std::string_view rest = line.substr(method_length + 1);
    size_t target_length = span_of(rest, k_target);
    if (target_length == 0 || (target_length < rest.size() && rest[target_length] != ' '))
        return reject(ErrorCode::InvalidUrl, "Invalid characters in url");
    if (target_length == rest.size())
        return reject(ErrorCode::InvalidVersion, "Missing HTTP version");
    m_method = slice(line.substr(0, method_length));
    m_target = slice(rest.substr(0, target_length));
    rest = rest.substr(target_length + 1);
    if (!parse_version(rest))
        return false;
    if (rest.size() != 8)
        return reject(ErrorCode::InvalidVersion, "Expected CRLF after version");
    return true;
}

// RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT; only 1.0 and 1.1 are HTTP/1.
bool Parser::parse_version(std::string_view text)
{
    if (text.substr(0, 5) != "HTTP/")
        return reject(ErrorCode::InvalidConstant, "Expected HTTP/");
    if (text.size() < 8 || !is_digit(text[5]) || text[6] != '.' || !is_digit(text[7]))
        return reject(ErrorCode::InvalidVersion, "Invalid HTTP version");
    unsigned major = static_cast<unsigned>(text[5] - '0');
    unsigned minor = static_cast<unsigned>(text[7] - '0');
    if (major != 1 || minor > 1)
        return reject(ErrorCode::InvalidVersion, "Invalid HTTP version");
    m_head.version_major = major;
    m_head.version_minor = minor;
    return true;
}

// RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]. A
// missing SP before an empty reason is accepted, as every client does.
bool Parser::parse_status_line(std::string_view line)
{
    if (!parse_version(line))
        return false;
    std::string_view rest = line.substr(8);
    if (rest.size() < 4 || rest[0] != ' ' || !is_digit(rest[1]) || !is_digit(rest[2]) || !is_digit(rest[3]))
        return reject(ErrorCode::InvalidStatus, "Invalid status code");
    unsigned status = static_cast<unsigned>((rest[1] - '0') * 100 + (rest[2] - '0') * 10 + (rest[3] - '0'));
    if (status < 100)
        return reject(ErrorCode::InvalidStatus, "Invalid status code");
    rest.remove_prefix(4);
    if (!rest.empty()) {
        if (rest[0] != ' ' || span_of(rest, k_field) != rest.size())
            return reject(ErrorCode::InvalidStatus, "Invalid response status");
        rest.remove_prefix(1);
    }
    m_head.status_code = status;
    m_reason = slice(rest);
    return true;
}

// RFC 9112 §5: field-line = field-name ":" OWS field-value OWS
bool Parser::parse_field_line(std::string_view line, bool trailer)
{
    if (is_whitespace(line[0])) {
        // §2.2: whitespace before the first field line; §5.2: obs-fold.
        if (m_spans.empty() && !trailer)
            return reject(ErrorCode::UnexpectedSpace, "Unexpected space after start line");
        return reject(ErrorCode::InvalidHeaderToken, "Unexpected whitespace: obs-fold is not allowed");
    }
    size_t name_length = span_of(line, k_token);
    // §5.1: no whitespace between the field name and the colon.
    if (name_length == 0 || name_length == line.size() || line[name_length] != ':')
        return reject(ErrorCode::InvalidHeaderToken, "Invalid header token");
    std::string_view value = trim_whitespace(line.substr(name_length + 1));
    if (span_of(value, k_field) != value.size())
        return reject(ErrorCode::InvalidHeaderToken, "Invalid header value char");
    if (m_spans.size() == m_limits.max_header_count)
        return reject(ErrorCode::HeaderOverflow, "Too many header fields");
    m_spans.push_back({ slice(line.substr(0, name_length)), slice(value) });
    if (trailer)
        return true;
    return interpret_field(line.substr(0, name_length), value);
}

// The fields that decide framing and the connection's fate.
bool Parser::interpret_field(std::string_view name, std::string_view value)
{
    switch (name.size()) {
    case 7:
        if (equals_lower(name, "upgrade"))
            m_has_upgrade = true;
        return true;
    case 10:
        if (equals_lower(name, "connection"))
            parse_connection(value);
        return true;
    case 14:
        if (equals_lower(name, "content-length"))
            return parse_content_length(value);
        return true;
    case 17:
        if (equals_lower(name, "transfer-encoding"))
            return parse_transfer_encoding(value);
        return true;
    default:
        return true;
    }
}

// RFC 9110 §8.6: Content-Length = 1*DIGIT. A list, a sign or a second field is an
// error: a recipient cannot know which length the sender meant.
bool Parser::parse_content_length(std::string_view value)
{
    // RFC 9112 §6.3 item 3: with Transfer-Encoding as well, two framings compete.
    if (m_has_transfer_encoding)
        return reject(ErrorCode::InvalidContentLength, "Content-Length can't be present with Transfer-Encoding");
    if (m_has_content_length)
        return reject(ErrorCode::UnexpectedContentLength, "Duplicate Content-Length");
    if (value.empty())
        return reject(ErrorCode::InvalidContentLength, "Empty Content-Length");
    uint64_t length = 0;
    for (char c : value) {
        if (!is_digit(c))
            return reject(ErrorCode::InvalidContentLength, "Invalid character in Content-Length");
        unsigned digit = static_cast<unsigned>(c - '0');
        if (length > (k_max_u64 - digit) / 10)
            return reject(ErrorCode::InvalidContentLength, "Content-Length overflow");
        length = length * 10 + digit;
    }
    m_has_content_length = true;
    m_content_length = length;
    return true;
}

// RFC 9112 §6.1: Transfer-Encoding = #transfer-coding; chunked, if present, is the
// final coding and appears once. The codings of repeated fields form one list.
bool Parser::parse_transfer_encoding(std::string_view value)
{
    if (m_has_content_length)
        return reject(ErrorCode::InvalidTransferEncoding, "Transfer-Encoding can't be present with Content-Length");
    m_has_transfer_encoding = true;
    for (;;) {
        size_t comma = value.find(',');
        std::string_view element = trim_whitespace(value.substr(0, comma));
        std::string_view coding = trim_whitespace(element.substr(0, element.find(';')));
        if (coding.empty() || span_of(coding, k_token) != coding.size() || m_chunked_last)
            return reject(ErrorCode::InvalidTransferEncoding, "Invalid `Transfer-Encoding` header value");
        m_chunked_last = equals_lower(coding, "chunked");
        if (m_chunked_last && coding.size() != element.size())
            return reject(ErrorCode::InvalidTransferEncoding, "Invalid `Transfer-Encoding` header value");
        if (comma == std::string_view::npos)
            return true;
        value.remove_prefix(comma + 1);
    }
}

// RFC 9110 §7.6.1: Connection = #connection-option.
void Parser::parse_connection(std::string_view value)
{
    for (;;) {
        size_t comma = value.find(',');
        std::string_view option = trim_whitespace(value.substr(0, comma));
        if (equals_lower(option, "close"))
            m_connection_close = true;
        else if (equals_lower(option, "keep-alive"))
            m_connection_keep_alive = true;
        else if (equals_lower(option, "upgrade"))
            m_connection_upgrade = true;
        if (comma == std::string_view::npos)
            return;
        value.remove_prefix(comma + 1);
    }
}

// The header section is complete: decide how the body is framed (RFC 9112 §6.3) and
// whether the connection stays open (§9.3).
bool Parser::finish_head()
{
    MessageHead& head = m_head;
    if (m_type == MessageType::Request) {
        std::string_view method = view(m_method);
        // §6.3 item 4: a request whose last coding is not chunked has no knowable length.
        if (m_has_transfer_encoding && !m_chunked_last)
            return reject(ErrorCode::InvalidTransferEncoding, "Request has invalid `Transfer-Encoding`");
        if (m_has_transfer_encoding)
            m_body = BodyKind::Chunked;
        else if (m_content_length > 0)
            m_body = BodyKind::Length;
        head.upgrade = method == "CONNECT" || (m_has_upgrade && m_connection_upgrade);
        // A tunnel starts after a CONNECT's header section (RFC 9110 §9.3.6).
        m_upgrade_now = method == "CONNECT";
    } else {
        unsigned status = head.status_code;
        if ((status >= 100 && status < 200) || status == 204 || status == 304)
            m_body = BodyKind::None;
        else if (m_has_transfer_encoding)
            m_body = m_chunked_last ? BodyKind::Chunked : BodyKind::UntilEof;
        else if (m_has_content_length)
            m_body = m_content_length > 0 ? BodyKind::Length : BodyKind::None;
        else
            m_body = BodyKind::UntilEof;
        // RFC 9110 §15.2.2: the new protocol starts right after a 101's header section.
        head.upgrade = status == 101;
        m_upgrade_now = head.upgrade;
    }
    if (head.version_minor == 1)
        head.keep_alive = !m_connection_close;
    else
        head.keep_alive = m_connection_keep_alive && !m_connection_close;
    // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing;
    // the connection closes after it.
    if (head.version_minor == 0 && m_has_transfer_encoding)
        head.keep_alive = false;
    if (m_body == BodyKind::UntilEof)
        head.keep_alive = false;

    publish_fields();
    head.headers = m_fields;
    head.method = view(m_method);
    head.target = view(m_target);
    head.reason = view(m_reason);
    m_state = State::HeadDone;
    return true;
}

void Parser::publish_fields()
{
    m_fields.clear();
    for (const FieldSpan& span : m_spans)
        m_fields.push_back({ view(span.name), view(span.value) });
}

// RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF, with
//   chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//   chunk-ext-val = token / quoted-string
// Extensions are checked and dropped; their bytes count against a per-message limit.
bool Parser::parse_chunk_size_line(std::string_view line)
{
    size_t digits = span_of(line, k_hex);
    if (digits == 0)
        return reject(ErrorCode::InvalidChunkSize, "Invalid character in chunk size");
    uint64_t size = 0;
    for (char c : line.substr(0, digits)) {
        if (size > (k_max_u64 >> 4))
            return reject(ErrorCode::InvalidChunkSize, "Chunk size overflow");
        size = size << 4 | hex_value(c);
    }
    std::string_view extensions = line.substr(digits);
    auto skip_whitespace = [&] {
        while (!extensions.empty() && is_whitespace(extensions.front()))
            extensions.remove_prefix(1);
    };
    while (!extensions.empty()) {
        skip_whitespace();
        if (extensions.empty() || extensions.front() != ';')
            return reject(ErrorCode::InvalidChunkSize, "Invalid character in chunk size");
        extensions.remove_prefix(1);
        skip_whitespace();
        size_t name_length = span_of(extensions, k_token);
        if (name_length == 0)
            return reject(ErrorCode::Strict, "Invalid character in chunk extensions name");
        extensions.remove_prefix(name_length);
        std::string_view after_name = extensions;
        skip_whitespace();
        if (extensions.empty() || extensions.front() != '=') {
            extensions = after_name;
            continue;
        }
        extensions.remove_prefix(1);
        skip_whitespace();
        if (!extensions.empty() && extensions.front() == '"') {
            // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4)
            size_t i = 1;
            for (;;) {
                if (i == extensions.size())
                    return reject(ErrorCode::Strict, "Invalid character in chunk extensions quoted value");
                char c = extensions[i];
                if (c == '"')
                    break;
                if (c == '\\' && i + 1 < extensions.size() && is(extensions[i + 1], k_field))
                    i += 2;
                else if (is(c, k_qdtext))
                    ++i;
                else
                    return reject(ErrorCode::Strict, "Invalid character in chunk extensions quoted value");
            }
            extensions.remove_prefix(i + 1);
        } else {
            size_t value_length = span_of(extensions, k_token);
            if (value_length == 0)
                return reject(ErrorCode::Strict, "Invalid character in chunk extensions value");
            extensions.remove_prefix(value_length);
        }
    }
    m_chunk_extension_bytes += line.size() - digits;
    if (m_chunk_extension_bytes > m_limits.max_chunk_extensions)
        return reject(ErrorCode::ChunkExtensionsOverflow, "Chunk extensions overflow");

    if (size == 0) {
        // The last chunk; a trailer section follows (§7.1.2) with the header budget.
        m_state = State::TrailerLines;
        m_buffer.clear();
        m_line_start = 0;
        m_spans.clear();
        m_budget = m_limits.max_header_size;
        return true;
    }
    m_remaining = size;
    m_state = State::ChunkData;
    return true;
}

} // namespace kiln::http

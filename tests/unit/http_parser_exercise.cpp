#include "http_parser_exercise.h"

#include <vector>

namespace kiln::http::test {

std::string escape(std::string_view bytes)
{
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string out;
    for (char c : bytes) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\\' || c == '"')
            out += std::string("\\") + c;
        else if (byte >= 0x20 && byte < 0x7f)
            out += c;
        else
            out += std::string("\\x") + k_hex[byte >> 4] + k_hex[byte & 15];
    }
    return out;
}

namespace {

class Recorder {
public:
    Recorder(const Exercise& exercise)
        : m_exercise(exercise)
        , m_parser(exercise.type, exercise.limits)
    {
    }

    // Feeds one piece; false once the parser will take nothing more.
    bool feed(std::span<const uint8_t> piece)
    {
        for (;;) {
            Step step = m_parser.execute(piece);
            if (step.consumed > piece.size()) {
                m_out += "BROKEN consumed more than given\n";
                return false;
            }
            m_offset += step.consumed;
            piece = piece.subspan(step.consumed);
            if (step.event == Event::NeedInput) {
                if (!piece.empty())
                    m_out += "BROKEN NeedInput with input left\n";
                return piece.empty();
            }
            if (!record(step))
                return false;
        }
    }

    void finish()
    {
        for (;;) {
            Step step = m_parser.finish();
            if (step.consumed != 0)
                m_out += "BROKEN finish consumed input\n";
            if (step.event == Event::NeedInput || !record(step))
                break;
        }
        flush_body();
    }

    std::string take() { return std::move(m_out); }

private:
    bool record(const Step& step)
    {
        switch (step.event) {
        case Event::HeadersComplete: {
            flush_body();
            const MessageHead& head = m_parser.head();
            m_out += "head@" + std::to_string(m_offset) + " ";
            if (m_exercise.type == MessageType::Request)
                m_out += escape(head.method) + " " + escape(head.target) + " ";
            m_out += "HTTP/" + std::to_string(head.version_major) + "." + std::to_string(head.version_minor);
            if (m_exercise.type == MessageType::Response)
                m_out += " " + std::to_string(head.status_code) + " \"" + escape(head.reason) + "\"";
            if (head.keep_alive)
                m_out += " keep-alive";
            if (head.upgrade)
                m_out += " upgrade";
            m_out += "\n";
            write_fields(head.headers);
            if (m_exercise.skip_bodies && m_exercise.type == MessageType::Response)
                m_parser.skip_body();
            if (m_exercise.accept_upgrades && head.upgrade)
                m_parser.upgrade();
            return true;
        }
        case Event::Body:
            if (step.body.empty())
                m_out += "BROKEN empty body event\n";
            m_body.append(reinterpret_cast<const char*>(step.body.data()), step.body.size());
            return true;
        case Event::MessageComplete:
            flush_body();
            m_out += "done@" + std::to_string(m_offset) + "\n";
            write_fields(m_parser.trailers());
            return true;
        case Event::Upgraded:
            flush_body();
            m_out += "upgraded@" + std::to_string(m_offset) + "\n";
            return false;
        case Event::Error:
            flush_body();
            m_out += "error@" + std::to_string(m_offset) + " " + std::string(error_code_name(m_parser.error().code))
                + " " + std::string(m_parser.error().reason) + "\n";
            return false;
        case Event::NeedInput:
            break;
        }
        return true;
    }

    void write_fields(std::span<const Header> fields)
    {
        for (const Header& field : fields)
            m_out += "  " + escape(field.name) + ": " + escape(field.value) + "\n";
    }

    void flush_body()
    {
        if (m_body.empty())
            return;
        m_out += "body \"" + escape(m_body) + "\"\n";
        m_body.clear();
    }

    const Exercise& m_exercise;
    Parser m_parser;
    size_t m_offset = 0;
    std::string m_body;
    std::string m_out;
};

} // namespace

std::string transcript(const Exercise& exercise, std::span<const uint8_t> input, std::span<const size_t> cuts)
{
    Recorder recorder(exercise);
    size_t start = 0;
    bool open = true;
    for (size_t cut : cuts) {
        if (cut < start || cut > input.size())
            continue;
        if (open)
            open = recorder.feed(input.subspan(start, cut - start));
        start = cut;
    }
    if (open && recorder.feed(input.subspan(start)))
        recorder.finish();
    return recorder.take();
}

} // namespace kiln::http::test

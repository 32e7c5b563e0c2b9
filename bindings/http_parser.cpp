// internalBinding('http_parser'): the HTTP/1.1 parser (runtime/net/http_parser.h) for
// js-lib's http server and client. One call per buffer read from a socket; the parser's
// events come back as calls into JS while it runs.
//
//   new HTTPParser(type, maxHeaderSize, onHeadersComplete, onBody, onMessageComplete)
//                     type: REQUEST or RESPONSE (exported)
//   execute(buffer) → bytes used: all of them, fewer once the stream was upgraded (the
//                     rest is the new protocol's), or -1 for a parse error
//   finish()        → 0, or -1 for a parse error (the peer closed mid-message)
//   error()         → [code, reason, bytesParsed] of the parse error ('HPE_...')
//   isIdle()        → between messages with nothing buffered
//   close()         → frees the native parser now rather than at garbage collection
//
// The callbacks run with `this` the parser, in stream order:
//   onHeadersComplete(versionMajor, versionMinor, headers, method, url, statusCode,
//                     statusMessage, upgrade, shouldKeepAlive)
//       → 1: the message has no body (a response to HEAD); 2: upgrade after it
//   onBody(buffer, start, end)       the next body bytes are buffer[start, end)
//   onMessageComplete(trailers)      trailers only when there are some
// headers and trailers are flat [name, value, ...] arrays of Latin-1 strings (Node's
// rawHeaders). A callback that throws stops the parse and the exception propagates.
#include <vector>

#include <v8-array-buffer.h>
#include <v8-container.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-template.h>

#include "bindings/bindings.h"
#include "runtime/net/http_parser.h"

namespace kiln::bindings {

namespace {

enum InternalField : int { k_native, k_on_headers_complete, k_on_body, k_on_message_complete, k_field_count };

enum HeadersResult { k_continue = 0, k_skip_body = 1, k_upgrade = 2 };

class JsHttpParser {
public:
    JsHttpParser(v8::Isolate* isolate, v8::Local<v8::Object> wrapper, http::MessageType type, http::Limits limits)
        : parser(type, limits)
        , m_isolate(isolate)
        , m_wrapper(isolate, wrapper)
    {
        wrapper->SetAlignedPointerInInternalField(k_native, this);
        m_wrapper.SetWeak(this, collected, v8::WeakCallbackType::kParameter);
    }

    static JsHttpParser* from(const v8::FunctionCallbackInfo<v8::Value>& info)
    {
        v8::Local<v8::Object> self = info.This();
        if (self->InternalFieldCount() != k_field_count)
            return nullptr;
        return static_cast<JsHttpParser*>(self->GetAlignedPointerFromInternalField(k_native));
    }

    // Detaches from the wrapper and frees this, at once or, from inside a callback,
    // when the parse that called it returns.
    void close()
    {
        m_wrapper.Get(m_isolate)->SetAlignedPointerInInternalField(k_native, nullptr);
        m_wrapper.Reset();
        if (m_depth > 0)
            m_close_pending = true;
        else
            delete this;
    }

    // Runs the parser over `input` (or the end of the stream) and hands each event to
    // JS. Returns the bytes used, -1 after a parse error, or nothing if JS threw.
    v8::Maybe<double> run(const v8::FunctionCallbackInfo<v8::Value>& info, v8::Local<v8::Value> buffer,
        std::span<const uint8_t> input, bool end_of_stream);

    http::Parser parser;
    size_t error_offset = 0;

private:
    static void collected(const v8::WeakCallbackInfo<JsHttpParser>& data)
    {
        JsHttpParser* self = data.GetParameter();
        self->m_wrapper.Reset();
        delete self;
    }

    v8::MaybeLocal<v8::Value> dispatch(const v8::FunctionCallbackInfo<v8::Value>& info, v8::Local<v8::Value> buffer,
        std::span<const uint8_t> input, const http::Step& step);
    v8::Local<v8::Array> fields_array(v8::Isolate* isolate, std::span<const http::Header> fields);

    v8::Isolate* m_isolate;
    v8::Global<v8::Object> m_wrapper;
    std::vector<v8::Local<v8::Value>> m_scratch; // reused for header arrays
    int m_depth = 0; // runs in progress
    bool m_close_pending = false;
};

v8::Local<v8::String> latin1(v8::Isolate* isolate, std::string_view text)
{
    if (text.empty())
        return v8::String::Empty(isolate);
    return v8::String::NewFromOneByte(isolate, reinterpret_cast<const uint8_t*>(text.data()),
        v8::NewStringType::kNormal, static_cast<int>(text.size()))
        .ToLocalChecked();
}

v8::Local<v8::Array> JsHttpParser::fields_array(v8::Isolate* isolate, std::span<const http::Header> fields)
{
    m_scratch.clear();
    for (const http::Header& field : fields) {
        m_scratch.push_back(latin1(isolate, field.name));
        m_scratch.push_back(latin1(isolate, field.value));
    }
    return v8::Array::New(isolate, m_scratch.data(), m_scratch.size());
}

v8::Maybe<double> JsHttpParser::run(const v8::FunctionCallbackInfo<v8::Value>& info, v8::Local<v8::Value> buffer,
    std::span<const uint8_t> input, bool end_of_stream)
{
    // A callback may parse again on the same parser (its events then interleave as
    // the calls do), or close it: freeing waits until the outermost run returns.
    ++m_depth;
    size_t position = 0;
    v8::Maybe<double> result = v8::Nothing<double>();
    for (;;) {
        http::Step step = end_of_stream ? parser.finish() : parser.execute(input.subspan(position));
        position += step.consumed;
        if (step.event == http::Event::NeedInput || step.event == http::Event::Upgraded) {
            result = v8::Just(static_cast<double>(position));
            break;
        }
        if (step.event == http::Event::Error) {
            error_offset = position;
            result = v8::Just(-1.0);
            break;
        }
        if (dispatch(info, buffer, input, step).IsEmpty())
            break;
        if (m_close_pending) {
            result = v8::Just(static_cast<double>(position));
            break;
        }
    }
    if (--m_depth == 0 && m_close_pending)
        delete this;
    return result;
}

v8::MaybeLocal<v8::Value> JsHttpParser::dispatch(const v8::FunctionCallbackInfo<v8::Value>& info,
    v8::Local<v8::Value> buffer, std::span<const uint8_t> input, const http::Step& step)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Object> self = info.This();
    auto callback = [&](InternalField field) { return self->GetInternalField(field).As<v8::Function>(); };

    switch (step.event) {
    case http::Event::HeadersComplete: {
        const http::MessageHead& head = parser.head();
        bool request = parser.type() == http::MessageType::Request;
        v8::Local<v8::Value> undefined = v8::Undefined(isolate);
        v8::Local<v8::Value> arguments[] = {
            v8::Integer::NewFromUnsigned(isolate, head.version_major),
            v8::Integer::NewFromUnsigned(isolate, head.version_minor),
            fields_array(isolate, head.headers),
            request ? latin1(isolate, head.method).As<v8::Value>() : undefined,
            request ? latin1(isolate, head.target).As<v8::Value>() : undefined,
            request ? undefined : v8::Integer::NewFromUnsigned(isolate, head.status_code).As<v8::Value>(),
            request ? undefined : latin1(isolate, head.reason).As<v8::Value>(),
            v8::Boolean::New(isolate, head.upgrade),
            v8::Boolean::New(isolate, head.keep_alive),
        };
        v8::Local<v8::Value> answer;
        if (!callback(k_on_headers_complete)->Call(context, self, std::size(arguments), arguments).ToLocal(&answer))
            return {};
        if (answer->IsInt32() && answer.As<v8::Int32>()->Value() == k_skip_body)
            parser.skip_body();
        else if (answer->IsInt32() && answer.As<v8::Int32>()->Value() == k_upgrade)
            parser.upgrade();
        return answer;
    }
    case http::Event::Body: {
        size_t start = static_cast<size_t>(step.body.data() - input.data());
        v8::Local<v8::Value> arguments[] = {
            buffer,
            v8::Number::New(isolate, static_cast<double>(start)),
            v8::Number::New(isolate, static_cast<double>(start + step.body.size())),
        };
        return callback(k_on_body)->Call(context, self, std::size(arguments), arguments);
    }
    case http::Event::MessageComplete: {
        std::span<const http::Header> trailers = parser.trailers();
        v8::Local<v8::Value> argument = trailers.empty() ? v8::Undefined(isolate).As<v8::Value>()
                                                         : fields_array(isolate, trailers).As<v8::Value>();
        return callback(k_on_message_complete)->Call(context, self, 1, &argument);
    }
    default:
        return v8::Undefined(isolate);
    }
}

JsHttpParser* parser_or_throw(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsHttpParser* parser = JsHttpParser::from(info);
    if (!parser)
        throw_type_error(info.GetIsolate(), "ERR_INVALID_THIS", "The HTTP parser is closed");
    return parser;
}

void http_parser_new(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (!info.IsConstructCall()) {
        throw_type_error(isolate, "ERR_CONSTRUCT_CALL_REQUIRED", "Class constructor HTTPParser cannot be invoked without 'new'");
        return;
    }
    if (info.Length() < 5 || !info[0]->IsInt32() || !info[1]->IsNumber() || !info[2]->IsFunction()
        || !info[3]->IsFunction() || !info[4]->IsFunction()) {
        throw_type_error(isolate, "ERR_INVALID_ARG_TYPE",
            "HTTPParser(type, maxHeaderSize, onHeadersComplete, onBody, onMessageComplete) takes an integer, a number "
            "and three functions");
        return;
    }
    double max_header_size = info[1].As<v8::Number>()->Value();
    if (!(max_header_size >= 1 && max_header_size <= 1 << 30)) {
        throw_type_error(isolate, "ERR_OUT_OF_RANGE", "maxHeaderSize must be between 1 and 2^30");
        return;
    }
    auto type = info[0].As<v8::Int32>()->Value() == 1 ? http::MessageType::Response : http::MessageType::Request;
    http::Limits limits;
    limits.max_header_size = static_cast<size_t>(max_header_size);
    v8::Local<v8::Object> self = info.This();
    self->SetInternalField(k_on_headers_complete, info[2]);
    self->SetInternalField(k_on_body, info[3]);
    self->SetInternalField(k_on_message_complete, info[4]);
    new JsHttpParser(isolate, self, type, limits);
}

void http_parser_execute(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsHttpParser* parser = parser_or_throw(info);
    if (!parser)
        return;
    if (info.Length() < 1 || !info[0]->IsArrayBufferView()) {
        throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "The \"buffer\" argument must be a Uint8Array");
        return;
    }
    v8::Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
    const auto* base = static_cast<const uint8_t*>(view->Buffer()->Data());
    std::span<const uint8_t> input;
    if (base)
        input = { base + view->ByteOffset(), view->ByteLength() };
    double result;
    if (parser->run(info, view, input, false).To(&result))
        info.GetReturnValue().Set(result);
}

void http_parser_finish(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsHttpParser* parser = parser_or_throw(info);
    if (!parser)
        return;
    double result;
    if (parser->run(info, v8::Undefined(info.GetIsolate()), {}, true).To(&result))
        info.GetReturnValue().Set(result < 0 ? -1 : 0);
}

void http_parser_error(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsHttpParser* parser = parser_or_throw(info);
    if (!parser)
        return;
    v8::Isolate* isolate = info.GetIsolate();
    const http::ParseError& error = parser->parser.error();
    v8::Local<v8::Value> values[] = {
        to_v8_string(isolate, http::error_code_name(error.code)),
        to_v8_string(isolate, error.reason),
        v8::Number::New(isolate, static_cast<double>(parser->error_offset)),
    };
    info.GetReturnValue().Set(v8::Array::New(isolate, values, std::size(values)));
}

void http_parser_is_idle(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    JsHttpParser* parser = JsHttpParser::from(info);
    info.GetReturnValue().Set(parser == nullptr || parser->parser.idle());
}

void http_parser_close(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (JsHttpParser* parser = JsHttpParser::from(info))
        parser->close();
}

// Every native callback of this module, here rather than inside register_http_parser,
// so that a startup snapshot can list them as external references.
constexpr NativeFunction k_methods[] = {
    { "execute", http_parser_execute },
    { "finish", http_parser_finish },
    { "error", http_parser_error },
    { "isIdle", http_parser_is_idle },
    { "close", http_parser_close },
};
constexpr NativeFunction k_constructor = { "HTTPParser", http_parser_new };

} // namespace

void http_parser_references(ExternalReferences& out)
{
    out.push_back(reinterpret_cast<intptr_t>(k_constructor.callback));
    add_references(out, k_methods);
}

v8::Local<v8::Object> register_http_parser(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::FunctionTemplate> type = v8::FunctionTemplate::New(isolate, k_constructor.callback);
    type->SetClassName(to_v8_string(isolate, k_constructor.name));
    type->InstanceTemplate()->SetInternalFieldCount(k_field_count);
    for (const NativeFunction& method : k_methods)
        type->PrototypeTemplate()->Set(
            to_v8_string(isolate, method.name), v8::FunctionTemplate::New(isolate, method.callback));

    v8::Local<v8::Object> exports = v8::Object::New(isolate);
    set_value(context, exports, k_constructor.name, type->GetFunction(context).ToLocalChecked());
    set_value(context, exports, "REQUEST", v8::Integer::New(isolate, 0));
    set_value(context, exports, "RESPONSE", v8::Integer::New(isolate, 1));
    return exports;
}

} // namespace kiln::bindings

// internalBinding('encoding'): the UTF-8, Latin-1 and UTF-16LE conversions behind
// Buffer, TextEncoder and TextDecoder (js-lib/lib/buffer.js, internal/encoding.js).
// V8 already converts between its strings and these encodings quickly and, for UTF-8,
// replaces invalid input the way the Encoding Standard says, so JS does not loop over
// bytes itself.
#include "bindings/bindings.h"

#include <cstring>
#include <string>
#include <vector>

#include <v8-array-buffer.h>
#include <v8-container.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-typed-array.h>

namespace kiln::bindings {

namespace {

struct Bytes {
    const uint8_t* data = nullptr;
    size_t size = 0;
};

// The bytes [start, end) of the typed array / DataView in info[0]; start and end are
// clamped to the view. Throws and returns nothing for other arguments.
bool view_range(const v8::FunctionCallbackInfo<v8::Value>& info, Bytes* out)
{
    if (info.Length() < 1 || !info[0]->IsArrayBufferView()) {
        throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "expected an ArrayBufferView");
        return false;
    }
    v8::Local<v8::ArrayBufferView> view = info[0].As<v8::ArrayBufferView>();
    size_t length = view->ByteLength();
    size_t start
        = info.Length() > 1 && info[1]->IsNumber() ? static_cast<size_t>(info[1].As<v8::Number>()->Value()) : 0;
    size_t end
        = info.Length() > 2 && info[2]->IsNumber() ? static_cast<size_t>(info[2].As<v8::Number>()->Value()) : length;
    end = std::min(end, length);
    start = std::min(start, end);
    const auto* base = static_cast<const uint8_t*>(view->Buffer()->Data());
    out->data = base ? base + view->ByteOffset() + start : nullptr;
    out->size = end - start;
    return true;
}

// Whether `bytes` is well-formed UTF-8 (Unicode 15, table 3-7).
bool valid_utf8(Bytes bytes)
{
    size_t i = 0;
    while (i < bytes.size) {
        uint8_t byte = bytes.data[i];
        if (byte < 0x80) {
            ++i;
            continue;
        }
        size_t needed;
        uint8_t lower = 0x80;
        uint8_t upper = 0xbf;
        if (byte >= 0xc2 && byte <= 0xdf) {
            needed = 1;
        } else if (byte >= 0xe0 && byte <= 0xef) {
            needed = 2;
            lower = byte == 0xe0 ? 0xa0 : 0x80;
            upper = byte == 0xed ? 0x9f : 0xbf;
        } else if (byte >= 0xf0 && byte <= 0xf4) {
            needed = 3;
            lower = byte == 0xf0 ? 0x90 : 0x80;
            upper = byte == 0xf4 ? 0x8f : 0xbf;
        } else {
            return false;
        }
        if (bytes.size - i <= needed)
            return false;
        for (size_t j = 1; j <= needed; ++j) {
            uint8_t next = bytes.data[i + j];
            if (next < lower || next > upper)
                return false;
            lower = 0x80;
            upper = 0xbf;
        }
        i += needed + 1;
    }
    return true;
}

v8::Local<v8::Uint8Array> new_bytes(v8::Isolate* isolate, const char* data, size_t size)
{
    v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, size);
    if (size > 0)
        std::memcpy(buffer->Data(), data, size);
    return v8::Uint8Array::New(buffer, 0, size);
}

// encodeUtf8(string) -> Uint8Array. Lone surrogates become EF BF BD (U+FFFD).
void encode_utf8(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 1 || !info[0]->IsString())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "encodeUtf8 expects a string");
    v8::Local<v8::String> text = info[0].As<v8::String>();
    std::string bytes(static_cast<size_t>(text->Utf8Length(isolate)), '\0');
    text->WriteUtf8(isolate, bytes.data(), static_cast<int>(bytes.size()), nullptr,
        v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
    info.GetReturnValue().Set(new_bytes(isolate, bytes.data(), bytes.size()));
}

// encodeUtf8Into(string, view, offset, length) -> [characters read, bytes written].
// Never splits a character: what does not fit whole is left out.
void encode_utf8_into(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 4 || !info[0]->IsString() || !info[1]->IsArrayBufferView() || !info[2]->IsNumber()
        || !info[3]->IsNumber())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "encodeUtf8Into(string, view, offset, length)");
    v8::Local<v8::String> text = info[0].As<v8::String>();
    v8::Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
    size_t offset = std::min(static_cast<size_t>(info[2].As<v8::Number>()->Value()), view->ByteLength());
    size_t capacity = std::min(static_cast<size_t>(info[3].As<v8::Number>()->Value()), view->ByteLength() - offset);
    char* target = static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset() + offset;
    int characters = 0;
    int written = text->WriteUtf8(isolate, target, static_cast<int>(capacity), &characters,
        v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
    v8::Local<v8::Value> result[] = { v8::Integer::New(isolate, characters), v8::Integer::New(isolate, written) };
    info.GetReturnValue().Set(v8::Array::New(isolate, result, 2));
}

// decodeUtf8(view, start, end, fatal) -> string. Invalid sequences become U+FFFD, or
// with `fatal` throw ERR_ENCODING_INVALID_ENCODED_DATA (TextDecoder's fatal mode).
void decode_utf8(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    Bytes bytes;
    if (!view_range(info, &bytes))
        return;
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() > 3 && info[3]->IsTrue() && !valid_utf8(bytes))
        return throw_type_error(
            isolate, "ERR_ENCODING_INVALID_ENCODED_DATA", "The encoded data was not valid for encoding utf-8");
    v8::Local<v8::String> text;
    if (!v8::String::NewFromUtf8(isolate, reinterpret_cast<const char*>(bytes.data), v8::NewStringType::kNormal,
            static_cast<int>(bytes.size))
             .ToLocal(&text))
        return throw_type_error(isolate, "ERR_STRING_TOO_LONG", "Cannot create a string longer than V8 allows");
    info.GetReturnValue().Set(text);
}

// decodeLatin1(view, start, end) -> string with one character per byte.
void decode_latin1(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    Bytes bytes;
    if (!view_range(info, &bytes))
        return;
    v8::Local<v8::String> text;
    if (!v8::String::NewFromOneByte(
            info.GetIsolate(), bytes.data, v8::NewStringType::kNormal, static_cast<int>(bytes.size))
             .ToLocal(&text))
        return throw_type_error(
            info.GetIsolate(), "ERR_STRING_TOO_LONG", "Cannot create a string longer than V8 allows");
    info.GetReturnValue().Set(text);
}

// decodeUtf16le(view, start, end) -> string; an odd last byte is ignored.
void decode_utf16le(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    Bytes bytes;
    if (!view_range(info, &bytes))
        return;
    std::vector<uint16_t> units(bytes.size / 2);
    for (size_t i = 0; i < units.size(); ++i)
        units[i] = static_cast<uint16_t>(bytes.data[2 * i] | (bytes.data[2 * i + 1] << 8));
    v8::Local<v8::String> text;
    if (!v8::String::NewFromTwoByte(
            info.GetIsolate(), units.data(), v8::NewStringType::kNormal, static_cast<int>(units.size()))
             .ToLocal(&text))
        return throw_type_error(
            info.GetIsolate(), "ERR_STRING_TOO_LONG", "Cannot create a string longer than V8 allows");
    info.GetReturnValue().Set(text);
}

constexpr NativeFunction k_functions[] = {
    { "encodeUtf8", encode_utf8 },
    { "encodeUtf8Into", encode_utf8_into },
    { "decodeUtf8", decode_utf8 },
    { "decodeLatin1", decode_latin1 },
    { "decodeUtf16le", decode_utf16le },
};

} // namespace

void encoding_references(ExternalReferences& out) { add_references(out, k_functions); }

v8::Local<v8::Object> register_encoding(v8::Local<v8::Context> context)
{
    v8::Local<v8::Object> exports = v8::Object::New(context->GetIsolate());
    set_functions(context, exports, k_functions);
    return exports;
}

} // namespace kiln::bindings

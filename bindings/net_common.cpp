#include "bindings/net_common.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>

#include <v8-function-callback.h>
#include <v8-primitive.h>

#include "bindings/bindings.h"

namespace kiln::bindings::net {

bool parse_ipv4(const std::string& host, int port, sockaddr_in& out)
{
    std::memset(&out, 0, sizeof out);
    out.sin_family = AF_INET;
    if (port < 0 || port > 65535)
        return false;
    out.sin_port = htons(static_cast<uint16_t>(port));
    return ::inet_pton(AF_INET, host.c_str(), &out.sin_addr) == 1;
}

bool fill_address(v8::Isolate* isolate, v8::Local<v8::Object> target, const sockaddr_in& address)
{
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    return target->Set(context, to_v8_string(isolate, "address"), to_v8_string(isolate, text)).FromMaybe(false)
        && target->Set(context, to_v8_string(isolate, "family"), to_v8_string(isolate, "IPv4")).FromMaybe(false)
        && target->Set(context, to_v8_string(isolate, "port"), v8::Integer::New(isolate, ntohs(address.sin_port)))
               .FromMaybe(false);
}

v8::Local<v8::Object> address_object(v8::Isolate* isolate, const sockaddr_in& address)
{
    v8::Local<v8::Object> object = v8::Object::New(isolate);
    fill_address(isolate, object, address);
    return object;
}

int int_argument(const v8::FunctionCallbackInfo<v8::Value>& info, int index, int fallback)
{
    if (info.Length() <= index || !info[index]->IsNumber())
        return fallback;
    return info[index]->Int32Value(info.GetIsolate()->GetCurrentContext()).FromMaybe(fallback);
}

int open_socket(int type)
{
    int fd = ::socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

int set_int_option(int fd, int level, int name, int value)
{
    return ::setsockopt(fd, level, name, &value, sizeof value) < 0 ? -errno : 0;
}

namespace {

int errno_argument(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    return -int_argument(info, 0, 0);
}

void errname(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    int error = errno_argument(info);
    std::string name;
    if (error == -k_eof)
        name = "EOF";
    else if (const char* text = error > 0 && strerrordesc_np(error) ? strerrorname_np(error) : nullptr)
        name = text;
    else
        name = "Unknown system error " + std::to_string(-error);
    info.GetReturnValue().Set(to_v8_string(info.GetIsolate(), name));
}

void strerror(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    int error = errno_argument(info);
    std::string text;
    if (error == -k_eof) {
        text = "end of file";
    } else {
        const char* description = error > 0 ? strerrordesc_np(error) : nullptr;
        text = description ? description : "unknown error";
        if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z')
            text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    info.GetReturnValue().Set(to_v8_string(info.GetIsolate(), text));
}

constexpr NativeFunction k_error_helpers[] = { { "errname", errname }, { "strerror", strerror } };

} // namespace

void add_error_helper_references(ExternalReferences& out) { add_references(out, k_error_helpers); }

void add_error_helpers(v8::Local<v8::Context> context, v8::Local<v8::Object> exports)
{
    v8::Isolate* isolate = context->GetIsolate();
    set_functions(context, exports, k_error_helpers);
    set_value(context, exports, "UV_EOF", v8::Integer::New(isolate, k_eof));
    const std::pair<const char*, int> k_errnos[] = {
        { "EAGAIN", EAGAIN },
        { "ECONNREFUSED", ECONNREFUSED },
        { "ECONNRESET", ECONNRESET },
        { "EPIPE", EPIPE },
        { "EADDRINUSE", EADDRINUSE },
        { "ETIMEDOUT", ETIMEDOUT },
        { "EINVAL", EINVAL },
        { "ECANCELED", ECANCELED },
        { "ENOTCONN", ENOTCONN },
        { "EBADF", EBADF },
    };
    for (const auto& [name, value] : k_errnos)
        set_value(context, exports, std::string("UV_") + name, v8::Integer::New(isolate, -value));
}

} // namespace kiln::bindings::net

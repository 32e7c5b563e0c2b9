#pragma once

// Shared by the socket bindings (tcp.cpp, udp.cpp): IPv4 addresses between JS and
// sockaddr_in, socket options, errno names.

#include <functional>
#include <netinet/in.h>
#include <string>

#include <v8-isolate.h>
#include <v8-object.h>

#include "bindings/bindings.h"

namespace kiln::bindings::net {

// "127.0.0.1" + port → sockaddr_in. False for anything but a dotted-quad IPv4 literal
// (names are resolved by js-lib's dns before they get here).
bool parse_ipv4(const std::string& host, int port, sockaddr_in& out);

// { address: '127.0.0.1', family: 'IPv4', port: 80 }
v8::Local<v8::Object> address_object(v8::Isolate* isolate, const sockaddr_in& address);
// Fills `target` like address_object() does; returns false if it threw.
bool fill_address(v8::Isolate* isolate, v8::Local<v8::Object> target, const sockaddr_in& address);

int int_argument(const v8::FunctionCallbackInfo<v8::Value>& info, int index, int fallback = 0);

// A socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC); -errno on failure.
int open_socket(int type);
// setsockopt with an int value; 0 or -errno.
int set_int_option(int fd, int level, int name, int value);

// Exports shared by both socket modules: errname(-errno) → 'ECONNREFUSED',
// strerror(-errno) → 'connection refused' (libuv's lower-case wording), and the errno
// numbers js-lib names (UV_EOF is -4095, as in libuv).
void add_error_helpers(v8::Local<v8::Context> context, v8::Local<v8::Object> exports);
void add_error_helper_references(ExternalReferences& out);

inline constexpr int k_eof = -4095;

} // namespace kiln::bindings::net

#pragma once

#include <string>

#include <v8-context.h>
#include <v8-exception.h>
#include <v8-message.h>

namespace kiln {

// Node-style report of an exception nobody caught, for stderr:
//
//     /abs/app.js:3
//     throw new Error('x');
//     ^
//
//     Error: x
//         at /abs/app.js:3:7
//
// `message` gives the location; it may be empty (then only the value is reported).
std::string format_uncaught_exception(
    v8::Local<v8::Context> context, v8::Local<v8::Value> exception, v8::Local<v8::Message> message);

// Report of a promise rejected with no handler by the end of a microtask checkpoint;
// matches Node 18's default (--unhandled-rejections=throw) output.
std::string format_unhandled_rejection(v8::Local<v8::Context> context, v8::Local<v8::Value> reason);

// The value's text for diagnostics; never throws into JS and never fails.
std::string describe_value(v8::Local<v8::Context> context, v8::Local<v8::Value> value);

} // namespace kiln

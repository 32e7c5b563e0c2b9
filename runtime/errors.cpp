#include "runtime/errors.h"

#include <algorithm>

#include <v8-debug.h>
#include <v8-isolate.h>
#include <v8-json.h>
#include <v8-primitive.h>

namespace kiln {

namespace {

std::string utf8(v8::Isolate* isolate, v8::Local<v8::Value> value)
{
    v8::String::Utf8Value text(isolate, value);
    return *text ? std::string(*text, static_cast<size_t>(text.length())) : std::string();
}

// The "file:line / source / carets" block Node prints above the stack. Carets span
// [start, end) of the failing expression; the padding copies tabs from the source
// line so the carets line up in a terminal.
std::string source_location_block(v8::Local<v8::Context> context, v8::Local<v8::Message> message)
{
    v8::Isolate* isolate = context->GetIsolate();
    std::string block;
    v8::Local<v8::Value> resource_name = message->GetScriptResourceName();
    block += resource_name->IsUndefined() ? std::string("<anonymous>") : utf8(isolate, resource_name);
    block += ':';
    block += std::to_string(message->GetLineNumber(context).FromMaybe(0));
    block += '\n';

    v8::Local<v8::String> source_line;
    if (!message->GetSourceLine(context).ToLocal(&source_line))
        return block;
    block += utf8(isolate, source_line);
    block += '\n';

    // Columns count UTF-16 code units, so walk the line in UTF-16.
    v8::String::Value units(isolate, source_line);
    int line_length = units.length();
    int start = std::clamp(message->GetStartColumn(context).FromMaybe(0), 0, line_length);
    int end = std::clamp(message->GetEndColumn(context).FromMaybe(start + 1), start, line_length);
    for (int i = 0; i < start; ++i)
        block += (*units)[i] == u'\t' ? '\t' : ' ';
    block.append(static_cast<size_t>(std::max(1, end - start)), '^');
    block += '\n';
    return block;
}

// The same block for where an error was created, from the detailed stack trace V8
// captured then (Isolate::SetCaptureStackTraceForUncaughtExceptions). Used for
// rejections, which are reported after the code that made them has returned. Empty
// when there is no trace.
std::string creation_location_block(v8::Isolate* isolate, v8::Local<v8::Value> error)
{
    v8::Local<v8::StackTrace> trace = v8::Exception::GetStackTrace(error);
    if (trace.IsEmpty() || trace->GetFrameCount() == 0)
        return {};
    v8::Local<v8::StackFrame> frame = trace->GetFrame(isolate, 0);
    std::string block = utf8(isolate, frame->GetScriptName()) + ":" + std::to_string(frame->GetLineNumber()) + "\n";

    v8::Local<v8::String> source = frame->GetScriptSource();
    if (source.IsEmpty() || !source->IsString())
        return block;
    std::string text = utf8(isolate, source);
    size_t line_start = 0;
    for (int line = 1; line < frame->GetLineNumber() && line_start != std::string::npos; ++line) {
        line_start = text.find('\n', line_start);
        if (line_start != std::string::npos)
            ++line_start;
    }
    if (line_start == std::string::npos)
        return block;
    std::string source_line = text.substr(line_start, text.find('\n', line_start) - line_start);
    block += source_line + "\n";
    // Columns count UTF-16 units and this walks bytes: exact for ASCII lines only.
    size_t column = static_cast<size_t>(std::max(frame->GetColumn() - 1, 0));
    for (size_t i = 0; i < column && i < source_line.size(); ++i)
        block += source_line[i] == '\t' ? '\t' : ' ';
    block += "^\n";
    return block;
}

// An error's `stack` when it has a non-empty string one (errors, and objects that
// pretend to be); empty otherwise. A throwing `stack` getter counts as none.
std::string stack_of(v8::Local<v8::Context> context, v8::Local<v8::Value> value)
{
    if (!value->IsObject())
        return {};
    v8::Isolate* isolate = context->GetIsolate();
    v8::TryCatch ignore_errors(isolate);
    v8::Local<v8::Value> stack;
    if (!value.As<v8::Object>()->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack")).ToLocal(&stack))
        return {};
    if (!stack->IsString() || stack.As<v8::String>()->Length() == 0)
        return {};
    return utf8(isolate, stack);
}

} // namespace

std::string describe_value(v8::Local<v8::Context> context, v8::Local<v8::Value> value)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::TryCatch ignore_errors(isolate);
    // Plain objects read better as JSON than as "[object Object]".
    // FIXME: use js-lib's inspect once it can be called safely from here.
    if (value->IsObject() && !value->IsFunction()) {
        v8::Local<v8::String> json;
        if (v8::JSON::Stringify(context, value).ToLocal(&json))
            return utf8(isolate, json);
    }
    v8::Local<v8::String> text;
    if (value->ToDetailString(context).ToLocal(&text))
        return utf8(isolate, text);
    return "<value that cannot be printed>";
}

std::string format_uncaught_exception(
    v8::Local<v8::Context> context, v8::Local<v8::Value> exception, v8::Local<v8::Message> message)
{
    std::string report;
    if (!message.IsEmpty())
        report += source_location_block(context, message);
    std::string stack = stack_of(context, exception);
    if (!stack.empty()) {
        report += '\n';
        report += stack;
    } else {
        // Node prints the bare value for `throw 42`; "Uncaught" makes that line
        // recognisable when it is the only one.
        report += "Uncaught ";
        report += describe_value(context, exception);
    }
    report += '\n';
    return report;
}

std::string format_unhandled_rejection(v8::Local<v8::Context> context, v8::Local<v8::Value> reason)
{
    std::string stack = stack_of(context, reason);
    if (!stack.empty()) {
        // Point at `new Error(...)`, as Node does.
        std::string block = creation_location_block(context->GetIsolate(), reason);
        return block + (block.empty() ? "" : "\n") + stack + "\n";
    }
    return "[UnhandledPromiseRejection: This error originated either by throwing inside of an async "
           "function without a catch block, or by rejecting a promise which was not handled with "
           ".catch(). The promise rejected with the reason \""
        + describe_value(context, reason) + "\".] {\n  code: 'ERR_UNHANDLED_REJECTION'\n}\n";
}

} // namespace kiln

#include "runtime/runtime.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <unistd.h>

#include <libplatform/libplatform.h>
#include <v8-array-buffer.h>
#include <v8-isolate.h>
#include <v8-microtask-queue.h>
#include <v8-primitive.h>
#include <v8-script.h>

#include "runtime/bootstrap.h"
#include "runtime/errors.h"
#include "runtime/fd_output.h"
#include "runtime/promise_rejections.h"

namespace kiln {

ScriptSource read_script(const std::string& path)
{
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return { {}, "Error: Cannot find module '" + path + "'" };
        return { {}, "Error: Cannot read '" + path + "': " + std::strerror(errno) };
    }
    std::string text;
    char buffer[64 * 1024];
    for (;;) {
        ssize_t count = ::read(fd, buffer, sizeof buffer);
        if (count > 0) {
            text.append(buffer, static_cast<size_t>(count));
            continue;
        }
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            int error = errno;
            ::close(fd);
            return { {}, "Error: Cannot read '" + path + "': " + std::strerror(error) };
        }
        break;
    }
    ::close(fd);
    return { std::move(text), {} };
}

Runtime::Runtime(V8Engine& engine, LaunchInfo launch)
    : m_engine(engine)
{
    m_state.launch = std::move(launch);
}

int Runtime::run()
{
    std::unique_ptr<v8::ArrayBuffer::Allocator> allocator(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
    v8::Isolate::CreateParams params;
    params.array_buffer_allocator = allocator.get();
    v8::Isolate* isolate = v8::Isolate::New(params);
    isolate->SetData(RuntimeState::k_isolate_slot, &m_state);

    int status;
    {
        v8::Isolate::Scope isolate_scope(isolate);
        v8::HandleScope handle_scope(isolate);
        PromiseRejectionTracker rejections(isolate);
        m_rejections = &rejections;
        // Microtasks run only at our checkpoints, so the order of "script, then
        // microtasks, then rejection check" is ours to define (Node does the same).
        isolate->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
        // Errors remember where they were made, so an unhandled rejection can point at
        // its `new Error(...)` line although it is reported later.
        isolate->SetCaptureStackTraceForUncaughtExceptions(true, 10);

        v8::Local<v8::Context> context = v8::Context::New(isolate);
        v8::Context::Scope context_scope(context);
        status = run_in_context(context);
        m_rejections = nullptr;
    }
    isolate->Dispose();
    return status;
}

int Runtime::run_in_context(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::TryCatch try_catch(isolate);

    if (!run_js_lib(context))
        return fail(context, try_catch);
    if (auto status = drain_queues(context))
        return *status;

    const std::string& path = m_state.launch.script_path;
    ScriptSource source = read_script(path);
    if (!source.text) {
        write_to_stderr(source.error + "\n");
        return k_exit_uncaught_error;
    }
    v8::Local<v8::String> code;
    if (!v8::String::NewFromUtf8(
            isolate, source.text->data(), v8::NewStringType::kNormal, static_cast<int>(source.text->size()))
             .ToLocal(&code)) {
        write_to_stderr("Error: '" + path + "' is too large to load\n");
        return k_exit_uncaught_error;
    }

    // FIXME: the main script runs as a classic script until the CommonJS/ESM loader
    // exists in js-lib; then it gets require/module/exports like in Node.
    v8::ScriptOrigin origin(isolate, v8::String::NewFromUtf8(isolate, path.c_str()).ToLocalChecked());
    v8::ScriptCompiler::Source script_source(code, origin);
    v8::Local<v8::Script> script;
    if (!v8::ScriptCompiler::Compile(context, &script_source).ToLocal(&script))
        return fail(context, try_catch);
    if (script->Run(context).IsEmpty())
        return fail(context, try_catch);
    if (auto status = drain_queues(context))
        return *status;

    // FIXME: emit process 'beforeExit' and 'exit' once js-lib has events.
    return m_state.exit_code_field[0];
}

std::optional<int> Runtime::drain_queues(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    for (;;) {
        isolate->PerformMicrotaskCheckpoint();
        if (m_state.exit_request)
            return *m_state.exit_request;

        v8::HandleScope scope(isolate);
        v8::Local<v8::Value> reason = m_rejections->oldest_unhandled_reason();
        if (!reason.IsEmpty()) {
            write_to_stderr(format_unhandled_rejection(context, reason));
            return k_exit_uncaught_error;
        }
        // Tasks V8 posted to the platform (e.g. FinalizationRegistry clean-up); with the
        // single-threaded platform they only run when we pump.
        if (!v8::platform::PumpMessageLoop(&m_engine.platform(), isolate))
            return std::nullopt;
    }
}

int Runtime::fail(v8::Local<v8::Context> context, const v8::TryCatch& try_catch)
{
    if (m_state.exit_request)
        return *m_state.exit_request;
    if (try_catch.HasTerminated()) {
        write_to_stderr("kiln-runtime: execution terminated\n");
        return k_exit_uncaught_error;
    }
    // FIXME: route through process.on('uncaughtException') once js-lib has events.
    write_to_stderr(format_uncaught_exception(context, try_catch.Exception(), try_catch.Message()));
    return k_exit_uncaught_error;
}

} // namespace kiln

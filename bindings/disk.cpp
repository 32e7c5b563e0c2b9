// internalBinding('disk'): raw disks for js-lib/lib/kiln/disk.js (`kiln:disk`).
//
//   probe(path)               → { size, blockSize, readOnly, blockDevice }; throws ENOENT,
//                               ENOTBLK (neither a block device nor a regular file)...
//   kernelRelease()           → uname's release ("6.1.0-kiln" in the VM)
//   errnoError(errno, syscall, path) → a Node-style system error, for js-lib to throw
//   new DiskHandle(path, writable)  opens the disk (throws EROFS, EACCES, ENOENT...)
//     read(offset, length, callback(error, Uint8Array))
//     write(offset, view, callback(error, bytesWritten))
//     flush(callback(error))  durable: every write issued on this handle before it
//     close(callback())       the fd closes once the requests in flight have finished
//
// Requests go through the runtime's one loop::DiskQueue (Linux AIO, an eventfd the loop
// watches), so many are in flight at once and the loop never blocks on a disk. Arguments
// are validated by js-lib; here only what would be unsafe is checked. System calls:
// open, fstat, ioctl (BLKGETSIZE64, BLKSSZGET, BLKROGET), access, uname, close, and the
// DiskQueue's (eventfd2, io_setup, io_submit, io_getevents).
#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <linux/fs.h>
#include <memory>
#include <string>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <v8-array-buffer.h>
#include <v8-external.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-template.h>
#include <v8-typed-array.h>

#include "bindings/binding_state.h"
#include "bindings/bindings.h"
#include "bindings/deferred_completion.h"
#include "bindings/loop_callbacks.h"
#include "runtime/loop/disk_queue.h"
#include "runtime/loop/loop.h"
#include "runtime/runtime_state.h"

namespace kiln::bindings {

namespace {

// Requests with the kernel at once; more wait in the DiskQueue.
constexpr unsigned k_queue_depth = 128;
// The most one read or write may move: Linux's limit for a single call.
constexpr double k_max_length = 0x7ffff000;
// The sector size of a disk that is a regular file (a virtio-blk disk's default).
constexpr int k_file_block_size = 512;

// Per-isolate state of the binding (binding_state.h).
struct DiskState {
    explicit DiskState(v8::Isolate* isolate)
        : isolate(isolate)
    {
    }

    v8::Isolate* isolate;
    std::unique_ptr<loop::DiskQueue> queue; // made by the first open
};

DiskState& state_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    return binding_state<DiskState>(info.GetIsolate());
}

// A byte offset or length from JS: a whole number in [0, 2^53].
bool byte_count(v8::Local<v8::Value> value, double limit, uint64_t& out)
{
    if (!value->IsNumber())
        return false;
    double number = value.As<v8::Number>()->Value();
    if (!(number >= 0 && number <= limit) || std::floor(number) != number)
        return false;
    out = static_cast<uint64_t>(number);
    return true;
}

class DiskHandle;

// One read, write or flush on its way: the loop request, the memory it uses and the JS
// callback to answer.
struct Operation {
    Operation(DiskHandle& handle, loop::DiskOperation kind, std::shared_ptr<v8::BackingStore> store, size_t start,
        size_t length, uint64_t offset);

    DiskHandle& handle;
    std::shared_ptr<v8::BackingStore> store;
    v8::Global<v8::Function> callback;
    loop::DiskRequest request;
};

class DiskHandle {
public:
    DiskHandle(DiskState& state, v8::Local<v8::Object> wrapper, int fd, std::string path)
        : m_state(state)
        , m_wrapper(state.isolate, wrapper)
        , m_fd(fd)
        , m_path(std::move(path))
    {
        wrapper->SetAlignedPointerInInternalField(0, this);
    }

    static DiskHandle* from(const v8::FunctionCallbackInfo<v8::Value>& info)
    {
        v8::Local<v8::Object> self = info.This();
        if (self->InternalFieldCount() < 1)
            return nullptr;
        return static_cast<DiskHandle*>(self->GetAlignedPointerFromInternalField(0));
    }

    int fd() const { return m_fd; }
    const std::string& path() const { return m_path; }
    loop::DiskQueue& queue() { return *m_state.queue; }

    void start(std::unique_ptr<Operation> operation, v8::Local<v8::Function> callback)
    {
        operation->callback.Reset(m_state.isolate, callback);
        ++m_in_flight;
        loop::DiskRequest& request = operation.release()->request;
        queue().submit(request);
    }

    // The request is done: answer JS, then free everything it held.
    void complete(Operation* operation, int64_t result)
    {
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        v8::Local<v8::Context> context = isolate->GetCurrentContext();
        loop::DiskOperation kind = operation->request.operation();
        std::array<v8::Local<v8::Value>, 2> arguments { v8::Null(isolate), v8::Undefined(isolate) };
        if (result < 0) {
            const char* syscall = kind == loop::DiskOperation::Read ? "read"
                : kind == loop::DiskOperation::Write                ? "write"
                                                                    : "fsync";
            arguments[0] = errno_error(isolate, static_cast<int>(-result), syscall, m_path);
        } else if (kind == loop::DiskOperation::Read) {
            v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, operation->store);
            arguments[1] = v8::Uint8Array::New(buffer, 0, static_cast<size_t>(result));
        } else if (kind == loop::DiskOperation::Write) {
            arguments[1] = v8::Number::New(isolate, static_cast<double>(result));
        }
        v8::Local<v8::Function> callback = operation->callback.Get(isolate);
        delete operation;
        (void)LoopCallbacks::from(isolate).call(context, callback, v8::Undefined(isolate), arguments);
        --m_in_flight;
        if (m_closing && m_in_flight == 0)
            finish_close();
    }

    // Stops taking requests; the fd closes once those in flight are done.
    void close(v8::Local<v8::Value> callback)
    {
        v8::Isolate* isolate = m_state.isolate;
        if (callback->IsFunction())
            m_close_callback.Reset(isolate, callback.As<v8::Function>());
        m_wrapper.Get(isolate)->SetAlignedPointerInInternalField(0, nullptr);
        m_closing = true;
        if (m_in_flight == 0)
            DeferredCompletion::post(loop(), [this] { finish_close(); });
    }

private:
    loop::Loop& loop() { return *RuntimeState::from(m_state.isolate).loop; }

    void finish_close()
    {
        ::close(m_fd);
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        v8::Local<v8::Function> callback;
        if (!m_close_callback.IsEmpty())
            callback = m_close_callback.Get(isolate);
        v8::Local<v8::Object> wrapper = m_wrapper.Get(isolate);
        delete this;
        if (!callback.IsEmpty())
            (void)LoopCallbacks::from(isolate).call(isolate->GetCurrentContext(), callback, wrapper);
    }

    DiskState& m_state;
    v8::Global<v8::Object> m_wrapper;
    v8::Global<v8::Function> m_close_callback;
    int m_fd;
    std::string m_path;
    size_t m_in_flight = 0;
    bool m_closing = false;
};

Operation::Operation(DiskHandle& owner, loop::DiskOperation kind, std::shared_ptr<v8::BackingStore> memory,
    size_t start, size_t length, uint64_t offset)
    : handle(owner)
    , store(std::move(memory))
    , request(owner.queue().loop(), kind, owner.fd(), store ? static_cast<std::byte*>(store->Data()) + start : nullptr,
          length, offset, [this](loop::DiskRequest&, int64_t result) { handle.complete(this, result); })
{
}

void probe(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 1 || !info[0]->IsString())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "The \"path\" argument must be of type string");
    std::string path = utf8(isolate, info[0]);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return throw_errno_error(isolate, errno, "open", path);
    struct stat status { };
    uint64_t size = 0;
    int block_size = k_file_block_size;
    int read_only = 0;
    int error = 0;
    const char* failed_call = "ioctl";
    if (::fstat(fd, &status) < 0) {
        error = errno;
        failed_call = "fstat";
    } else if (S_ISBLK(status.st_mode)) {
        if (::ioctl(fd, BLKGETSIZE64, &size) < 0 || ::ioctl(fd, BLKSSZGET, &block_size) < 0
            || ::ioctl(fd, BLKROGET, &read_only) < 0)
            error = errno;
    } else if (S_ISREG(status.st_mode)) {
        size = static_cast<uint64_t>(status.st_size);
        read_only = ::access(path.c_str(), W_OK) != 0;
    } else {
        error = ENOTBLK;
        failed_call = "open";
    }
    ::close(fd);
    if (error != 0)
        return throw_errno_error(isolate, error, failed_call, path);

    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Object> result = v8::Object::New(isolate);
    set_value(context, result, "size", v8::Number::New(isolate, static_cast<double>(size)));
    set_value(context, result, "blockSize", v8::Integer::New(isolate, block_size));
    set_value(context, result, "readOnly", v8::Boolean::New(isolate, read_only != 0));
    set_value(context, result, "blockDevice", v8::Boolean::New(isolate, S_ISBLK(status.st_mode)));
    info.GetReturnValue().Set(result);
}

void kernel_release(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    utsname names {};
    if (::uname(&names) < 0)
        return;
    info.GetReturnValue().Set(to_v8_string(info.GetIsolate(), names.release));
}

void make_errno_error(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (info.Length() < 3 || !info[0]->IsInt32() || !info[1]->IsString() || !info[2]->IsString())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "errnoError(errno, syscall, path)");
    info.GetReturnValue().Set(errno_error(
        isolate, info[0].As<v8::Int32>()->Value(), utf8(isolate, info[1]), utf8(isolate, info[2])));
}

void disk_new(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    if (!info.IsConstructCall())
        return throw_type_error(isolate, "ERR_ILLEGAL_CONSTRUCTOR", "DiskHandle must be called with new");
    if (info.Length() < 2 || !info[0]->IsString())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "new DiskHandle(path, writable)");
    DiskState& state = state_of(info);
    if (!state.queue) {
        int error = 0;
        state.queue = loop::DiskQueue::try_create(*RuntimeState::from(isolate).loop, k_queue_depth, error);
        if (!state.queue)
            return throw_errno_error(isolate, error, "io_setup");
    }
    std::string path = utf8(isolate, info[0]);
    bool writable = info[1]->BooleanValue(isolate);
    int fd = ::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0)
        return throw_errno_error(isolate, errno, "open", path);
    new DiskHandle(state, info.This(), fd, std::move(path));
}

// The handle behind `this`; throws ERR_DISK_CLOSED once it is closed.
DiskHandle* open_handle(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    DiskHandle* handle = DiskHandle::from(info);
    if (!handle)
        throw_type_error(info.GetIsolate(), "ERR_DISK_CLOSED", "The disk is closed");
    return handle;
}

void disk_read(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    DiskHandle* handle = open_handle(info);
    if (!handle)
        return;
    v8::Isolate* isolate = info.GetIsolate();
    uint64_t offset = 0, length = 0;
    if (info.Length() < 3 || !byte_count(info[0], 0x1p53, offset) || !byte_count(info[1], k_max_length, length)
        || !info[2]->IsFunction())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "read(offset, length, callback)");
    // Our own allocation: V8's would end the process if it failed.
    void* memory = std::malloc(std::max<size_t>(length, 1));
    if (!memory)
        return throw_errno_error(isolate, ENOMEM, "read", handle->path());
    std::shared_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(
        memory, length, [](void* data, size_t, void*) { std::free(data); }, nullptr);
    auto operation
        = std::make_unique<Operation>(*handle, loop::DiskOperation::Read, std::move(store), 0, length, offset);
    handle->start(std::move(operation), info[2].As<v8::Function>());
}

void disk_write(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    DiskHandle* handle = open_handle(info);
    if (!handle)
        return;
    v8::Isolate* isolate = info.GetIsolate();
    uint64_t offset = 0;
    if (info.Length() < 3 || !byte_count(info[0], 0x1p53, offset) || !info[1]->IsArrayBufferView()
        || !info[2]->IsFunction())
        return throw_type_error(isolate, "ERR_INVALID_ARG_TYPE", "write(offset, view, callback)");
    v8::Local<v8::ArrayBufferView> view = info[1].As<v8::ArrayBufferView>();
    if (static_cast<double>(view->ByteLength()) > k_max_length)
        return throw_type_error(isolate, "ERR_OUT_OF_RANGE", "write: the data is too large for one request");
    // The request holds the view's memory (not a copy) until it completes.
    auto operation = std::make_unique<Operation>(*handle, loop::DiskOperation::Write, view->Buffer()->GetBackingStore(),
        view->ByteOffset(), view->ByteLength(), offset);
    handle->start(std::move(operation), info[2].As<v8::Function>());
}

void disk_flush(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    DiskHandle* handle = open_handle(info);
    if (!handle)
        return;
    if (info.Length() < 1 || !info[0]->IsFunction())
        return throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "flush(callback)");
    auto operation = std::make_unique<Operation>(*handle, loop::DiskOperation::Flush, nullptr, 0, 0, 0);
    handle->start(std::move(operation), info[0].As<v8::Function>());
}

void disk_close(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (DiskHandle* handle = DiskHandle::from(info))
        handle->close(info.Length() > 0 ? info[0] : v8::Undefined(info.GetIsolate()).As<v8::Value>());
}

constexpr NativeFunction k_methods[] = {
    { "read", disk_read },
    { "write", disk_write },
    { "flush", disk_flush },
    { "close", disk_close },
};

constexpr NativeFunction k_functions[] = {
    { "probe", probe },
    { "kernelRelease", kernel_release },
    { "errnoError", make_errno_error },
};

} // namespace

void disk_references(ExternalReferences& out)
{
    out.push_back(reinterpret_cast<intptr_t>(disk_new));
    add_references(out, k_methods);
    add_references(out, k_functions);
}

v8::Local<v8::Object> register_disk(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::FunctionTemplate> type = v8::FunctionTemplate::New(isolate, disk_new);
    type->SetClassName(to_v8_string(isolate, "DiskHandle"));
    type->InstanceTemplate()->SetInternalFieldCount(1);
    for (const NativeFunction& method : k_methods)
        type->PrototypeTemplate()->Set(
            to_v8_string(isolate, method.name), v8::FunctionTemplate::New(isolate, method.callback));

    v8::Local<v8::Object> exports = v8::Object::New(isolate);
    set_value(context, exports, "DiskHandle", type->GetFunction(context).ToLocalChecked());
    set_functions(context, exports, k_functions);
    return exports;
}

} // namespace kiln::bindings

// internalBinding('tcp'): TCP sockets on the event loop, for js-lib/lib/net.js.
//
//   new TCP()                       no socket yet; bind/connect/listen make one
//   bind(host, port)                → 0 | -errno (SO_REUSEADDR on, as libuv does)
//   listen(backlog)                 → 0 | -errno; accepted sockets arrive as
//                                   onconnection(status, tcp) on the handle
//   connect(req, host, port)        → 0 | -errno; later req.oncomplete(status)
//   readStart() / readStop()        data arrives as onread(nread, arrayBuffer);
//                                   nread < 0 is -errno, or UV_EOF at the end
//   writeBuffer(req, view)          → 0 | -errno. Written at once if the socket takes
//   writev(req, [views])              it (req.async = false); else copied, queued and
//                                   reported as req.oncomplete(status) once flushed
//   shutdown(req)                   → 0 | -errno; later req.oncomplete(status)
//   close(callback)                 stops everything, closes the fd; callback in the
//                                   closing phase
//   getsockname(out) getpeername(out) setNoDelay(on) setKeepAlive(on, delaySeconds)
//   ref() unref() hasRef() writeQueueSize() fd()
//
// System calls: socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC), setsockopt
// (SO_REUSEADDR, TCP_NODELAY, SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT),
// bind, listen, accept4(SOCK_NONBLOCK|SOCK_CLOEXEC), connect, getsockopt(SO_ERROR),
// read, writev, shutdown(SHUT_WR), getsockname, getpeername, close.
// Policy (streams, errors with host/port, timeouts) is in JS.
#include <algorithm>
#include <array>
#include <cerrno>
#include <deque>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

#include <v8-array-buffer.h>
#include <v8-container.h>
#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-template.h>
#include <v8-typed-array.h>

#include "bindings/binding_state.h"
#include "bindings/bindings.h"
#include "bindings/deferred_completion.h"
#include "bindings/net_common.h"
#include "bindings/socket_handle.h"
#include "runtime/loop/loop.h"

namespace kiln::bindings {

namespace {

// Bytes read per readable event: Node's libuv reads 64 KiB at a time.
constexpr size_t k_read_size = 64 * 1024;
// Connections taken per readable event on a listening socket, so one busy listener
// cannot starve the rest of the loop.
constexpr int k_accepts_per_event = 128;

// Per-isolate state of the binding (binding_state.h).
struct TcpState {
    explicit TcpState(v8::Isolate* isolate)
        : isolate(isolate)
    {
    }

    v8::Isolate* isolate;
    // What accept4() makes new handles with: the constructor of the first handle made
    // in this run (the binding object may come from the snapshot, so it is not known
    // when the module is created).
    v8::Global<v8::Function> constructor;
    std::array<char, k_read_size> read_buffer {};
};

class TcpHandle;

TcpState& state_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    return binding_state<TcpState>(info.GetIsolate());
}

// One queued write: the bytes not yet taken by the socket and the JS request to answer.
struct PendingWrite {
    std::vector<char> bytes;
    size_t offset = 0;
    v8::Global<v8::Object> request;
};

class TcpHandle final : public net::SocketHandle {
public:
    TcpHandle(TcpState& state, v8::Local<v8::Object> wrapper)
        : SocketHandle(state.isolate, wrapper)
        , m_state(state)
    {
    }

    size_t write_queue_size() const { return m_queued_bytes; }

    // accept4() hands new connections to fresh handles.
    using SocketHandle::adopt;

    int ensure_socket()
    {
        if (m_fd >= 0)
            return 0;
        int fd = net::open_socket(SOCK_STREAM);
        if (fd < 0)
            return fd;
        adopt(fd);
        return 0;
    }

    int bind(const sockaddr_in& address)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        // As libuv: a restarted server can bind while old connections sit in TIME_WAIT.
        if (int error = net::set_int_option(m_fd, SOL_SOCKET, SO_REUSEADDR, 1); error < 0)
            return error;
        if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0)
            return -errno;
        return 0;
    }

    int listen(int backlog)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        if (::listen(m_fd, backlog) < 0)
            return -errno;
        m_listening = true;
        return update_interest();
    }

    int connect(v8::Local<v8::Object> request, const sockaddr_in& address)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        if (!m_connect_request.IsEmpty())
            return -EALREADY;
        m_connect_request.Reset(m_state.isolate, request);
        int result;
        do
            result = ::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
        while (result < 0 && errno == EINTR);
        if (result < 0 && errno == EINPROGRESS) {
            m_connecting = true;
            return update_interest();
        }
        // Done (or refused) at once, as loopback often is: still report it from the loop.
        int status = result < 0 ? -errno : 0;
        ++m_deferred;
        DeferredCompletion::post(loop(), [this, status] {
            --m_deferred;
            finish_connect(status);
        });
        return 0;
    }

    void read_start()
    {
        m_reading = true;
        (void)update_interest();
    }

    void read_stop()
    {
        m_reading = false;
        (void)update_interest();
    }

    // Returns 0 (req.async tells whether a completion will follow) or -errno.
    int write(v8::Local<v8::Object> request, std::span<const iovec> chunks)
    {
        if (m_fd < 0)
            return -EBADF;
        size_t total = 0;
        for (const iovec& chunk : chunks)
            total += chunk.iov_len;
        size_t written = 0;
        if (m_queue.empty()) {
            ssize_t result = write_some(chunks);
            if (result < 0 && result != -EAGAIN)
                return static_cast<int>(result);
            written = result < 0 ? 0 : static_cast<size_t>(result);
        }
        v8::Local<v8::Context> context = m_state.isolate->GetCurrentContext();
        bool queued = written < total;
        (void)request->Set(context, to_v8_string(m_state.isolate, "async"), v8::Boolean::New(m_state.isolate, queued)).FromMaybe(false);
        if (!queued)
            return 0;
        PendingWrite pending;
        pending.bytes.reserve(total - written);
        size_t skip = written;
        for (const iovec& chunk : chunks) {
            const char* base = static_cast<const char*>(chunk.iov_base);
            size_t length = chunk.iov_len;
            size_t from = std::min(skip, length);
            skip -= from;
            pending.bytes.insert(pending.bytes.end(), base + from, base + length);
        }
        pending.request.Reset(m_state.isolate, request);
        m_queued_bytes += pending.bytes.size();
        m_queue.push_back(std::move(pending));
        return update_interest();
    }

    int shutdown(v8::Local<v8::Object> request)
    {
        if (m_fd < 0)
            return -ENOTCONN;
        // js-lib's Writable calls final() only after every write completed, so the
        // queue is empty here; a shutdown with writes queued waits for them anyway.
        m_shutdown_request.Reset(m_state.isolate, request);
        if (m_queue.empty())
            post_shutdown();
        return 0;
    }

private:
    void drop_pending() override
    {
        m_queue.clear();
        m_connect_request.Reset();
        m_shutdown_request.Reset();
    }

    ssize_t write_some(std::span<const iovec> chunks)
    {
        // IOV_MAX is 1024; js-lib never sends more chunks than that in one writev.
        ssize_t result;
        do
            result = ::writev(m_fd, chunks.data(), static_cast<int>(std::min<size_t>(chunks.size(), 1024)));
        while (result < 0 && errno == EINTR);
        if (result < 0)
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        return result;
    }

    int update_interest()
    {
        if (!m_watcher || m_closed)
            return 0;
        loop::IoEvents interest {
            .readable = m_reading || m_listening,
            .writable = m_connecting || !m_queue.empty(),
        };
        if (!interest.readable && !interest.writable) {
            m_watcher->stop();
            return 0;
        }
        return -m_watcher->start(interest);
    }

    void on_ready(loop::IoEvents ready) override
    {
        if (m_connecting) {
            on_connect_ready();
            return;
        }
        if (m_listening) {
            accept_connections();
            return;
        }
        bool io_wanted = m_reading || !m_queue.empty();
        if ((ready.writable || ready.error || ready.hangup) && !m_queue.empty())
            flush_queue();
        if (m_closed)
            return;
        if ((ready.readable || ready.hangup || ready.error) && m_reading)
            read_once();
        if (!io_wanted && !m_closed && m_watcher)
            m_watcher->stop(); // a hang-up nobody is listening for: wait for readStart/write
    }

    void on_connect_ready()
    {
        int error = 0;
        socklen_t length = sizeof error;
        if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
            error = errno;
        m_connecting = false;
        (void)update_interest();
        finish_connect(-error);
    }

    void finish_connect(int status)
    {
        if (m_closed || m_connect_request.IsEmpty())
            return;
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        v8::Local<v8::Object> request = m_connect_request.Get(isolate);
        m_connect_request.Reset();
        std::array<v8::Local<v8::Value>, 1> arguments { v8::Integer::New(isolate, status) };
        (void)net::call_method(isolate, request, "oncomplete", arguments);
    }

    void accept_connections()
    {
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        v8::Local<v8::Context> context = isolate->GetCurrentContext();
        for (int i = 0; i < k_accepts_per_event && !m_closed; ++i) {
            int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED)
                    return;
                std::array<v8::Local<v8::Value>, 2> arguments { v8::Integer::New(isolate, -errno),
                    v8::Undefined(isolate) };
                (void)net::call_method(isolate, m_wrapper.Get(isolate), "onconnection", arguments);
                return;
            }
            v8::Local<v8::Object> client;
            if (!m_state.constructor.Get(isolate)->NewInstance(context).ToLocal(&client)) {
                ::close(fd);
                return;
            }
            auto* handle = static_cast<TcpHandle*>(client->GetAlignedPointerFromInternalField(0));
            handle->adopt(fd);
            std::array<v8::Local<v8::Value>, 2> arguments { v8::Integer::New(isolate, 0), client };
            if (!net::call_method(isolate, m_wrapper.Get(isolate), "onconnection", arguments))
                return;
        }
    }

    void read_once()
    {
        ssize_t count;
        do
            count = ::read(m_fd, m_state.read_buffer.data(), m_state.read_buffer.size());
        while (count < 0 && errno == EINTR);
        if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        int status = count > 0 ? static_cast<int>(count) : count == 0 ? net::k_eof : -errno;
        v8::Local<v8::Value> data = v8::Undefined(isolate);
        if (count > 0) {
            auto store = v8::ArrayBuffer::NewBackingStore(isolate, static_cast<size_t>(count));
            std::copy_n(m_state.read_buffer.data(), count, static_cast<char*>(store->Data()));
            data = v8::ArrayBuffer::New(isolate, std::move(store));
        } else {
            // EOF or an error ends reading; JS decides what comes next.
            m_reading = false;
            (void)update_interest();
        }
        std::array<v8::Local<v8::Value>, 2> arguments { v8::Integer::New(isolate, status), data };
        (void)net::call_method(isolate, m_wrapper.Get(isolate), "onread", arguments);
    }

    void flush_queue()
    {
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        while (!m_queue.empty() && !m_closed) {
            PendingWrite& front = m_queue.front();
            iovec chunk { front.bytes.data() + front.offset, front.bytes.size() - front.offset };
            ssize_t result = write_some({ &chunk, 1 });
            if (result == -EAGAIN)
                break;
            if (result < 0) {
                fail_queue(static_cast<int>(result));
                return;
            }
            front.offset += static_cast<size_t>(result);
            m_queued_bytes -= static_cast<size_t>(result);
            if (front.offset < front.bytes.size())
                break;
            v8::Local<v8::Object> request = front.request.Get(isolate);
            m_queue.pop_front();
            std::array<v8::Local<v8::Value>, 1> arguments { v8::Integer::New(isolate, 0) };
            if (!net::call_method(isolate, request, "oncomplete", arguments))
                return;
        }
        if (m_closed)
            return;
        (void)update_interest();
        if (m_queue.empty() && !m_shutdown_request.IsEmpty())
            post_shutdown();
    }

    void fail_queue(int status)
    {
        v8::Isolate* isolate = m_state.isolate;
        std::deque<PendingWrite> failed = std::move(m_queue);
        m_queue.clear();
        m_queued_bytes = 0;
        (void)update_interest();
        for (PendingWrite& write : failed) {
            if (m_closed)
                return;
            std::array<v8::Local<v8::Value>, 1> arguments { v8::Integer::New(isolate, status) };
            if (!net::call_method(isolate, write.request.Get(isolate), "oncomplete", arguments))
                return;
        }
    }

    void post_shutdown()
    {
        int status = ::shutdown(m_fd, SHUT_WR) < 0 ? -errno : 0;
        ++m_deferred;
        DeferredCompletion::post(loop(), [this, status] {
            --m_deferred;
            if (m_closed || m_shutdown_request.IsEmpty())
                return;
            v8::Isolate* isolate = m_state.isolate;
            v8::HandleScope scope(isolate);
            v8::Local<v8::Object> request = m_shutdown_request.Get(isolate);
            m_shutdown_request.Reset();
            std::array<v8::Local<v8::Value>, 1> arguments { v8::Integer::New(isolate, status) };
            (void)net::call_method(isolate, request, "oncomplete", arguments);
        });
    }

    TcpState& m_state;
    v8::Global<v8::Object> m_connect_request;
    v8::Global<v8::Object> m_shutdown_request;
    std::deque<PendingWrite> m_queue;
    size_t m_queued_bytes = 0;
    bool m_reading = false;
    bool m_listening = false;
    bool m_connecting = false;
};

TcpHandle* handle_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    return net::SocketHandle::from<TcpHandle>(info);
}

// The handle behind `this`, or -EBADF as the return value once it is closed.
TcpHandle* open_handle(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = handle_of(info);
    if (!handle)
        info.GetReturnValue().Set(-EBADF);
    return handle;
}

bool address_arguments(const v8::FunctionCallbackInfo<v8::Value>& info, int index, sockaddr_in& address)
{
    if (info.Length() < index + 2 || !info[index]->IsString() || !info[index + 1]->IsNumber())
        return false;
    return net::parse_ipv4(utf8(info.GetIsolate(), info[index]), net::int_argument(info, index + 1), address);
}

void tcp_new(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!info.IsConstructCall()) {
        throw_type_error(info.GetIsolate(), "ERR_ILLEGAL_CONSTRUCTOR", "TCP must be called with new");
        return;
    }
    TcpState& state = state_of(info);
    if (state.constructor.IsEmpty())
        state.constructor.Reset(info.GetIsolate(), info.NewTarget().As<v8::Function>());
    new TcpHandle(state, info.This());
}

void tcp_bind(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    sockaddr_in address;
    if (!handle)
        return;
    if (!address_arguments(info, 0, address))
        return info.GetReturnValue().Set(-EINVAL);
    info.GetReturnValue().Set(handle->bind(address));
}

void tcp_listen(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = open_handle(info))
        info.GetReturnValue().Set(handle->listen(net::int_argument(info, 0, 511)));
}

void tcp_connect(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    sockaddr_in address;
    if (!handle)
        return;
    if (info.Length() < 1 || !info[0]->IsObject() || !address_arguments(info, 1, address))
        return info.GetReturnValue().Set(-EINVAL);
    info.GetReturnValue().Set(handle->connect(info[0].As<v8::Object>(), address));
}

void tcp_read_start(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = open_handle(info)) {
        handle->read_start();
        info.GetReturnValue().Set(0);
    }
}

void tcp_read_stop(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = open_handle(info)) {
        handle->read_stop();
        info.GetReturnValue().Set(0);
    }
}

bool view_chunk(v8::Local<v8::Value> value, iovec& chunk)
{
    if (!value->IsArrayBufferView())
        return false;
    v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
    chunk.iov_base = static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset();
    chunk.iov_len = view->ByteLength();
    return true;
}

void tcp_write_buffer(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    iovec chunk;
    if (!handle)
        return;
    if (info.Length() < 2 || !info[0]->IsObject() || !view_chunk(info[1], chunk))
        return info.GetReturnValue().Set(-EINVAL);
    info.GetReturnValue().Set(handle->write(info[0].As<v8::Object>(), { &chunk, 1 }));
}

void tcp_writev(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    if (!handle)
        return;
    if (info.Length() < 2 || !info[0]->IsObject() || !info[1]->IsArray())
        return info.GetReturnValue().Set(-EINVAL);
    v8::Local<v8::Context> context = info.GetIsolate()->GetCurrentContext();
    v8::Local<v8::Array> list = info[1].As<v8::Array>();
    if (list->Length() > 1024)
        return info.GetReturnValue().Set(-EINVAL);
    std::vector<iovec> chunks(list->Length());
    for (uint32_t i = 0; i < list->Length(); ++i) {
        v8::Local<v8::Value> item;
        if (!list->Get(context, i).ToLocal(&item) || !view_chunk(item, chunks[i]))
            return info.GetReturnValue().Set(-EINVAL);
    }
    info.GetReturnValue().Set(handle->write(info[0].As<v8::Object>(), chunks));
}

void tcp_shutdown(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    if (!handle)
        return;
    if (info.Length() < 1 || !info[0]->IsObject())
        return info.GetReturnValue().Set(-EINVAL);
    info.GetReturnValue().Set(handle->shutdown(info[0].As<v8::Object>()));
}

void tcp_close(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = handle_of(info))
        handle->close(info.Length() > 0 ? info[0] : v8::Undefined(info.GetIsolate()).As<v8::Value>());
}

template<int (*Query)(int, sockaddr*, socklen_t*)>
void tcp_address(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    if (!handle)
        return;
    if (info.Length() < 1 || !info[0]->IsObject())
        return info.GetReturnValue().Set(-EINVAL);
    sockaddr_in address {};
    socklen_t length = sizeof address;
    if (Query(handle->fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0)
        return info.GetReturnValue().Set(-errno);
    net::fill_address(info.GetIsolate(), info[0].As<v8::Object>(), address);
    info.GetReturnValue().Set(0);
}

void tcp_set_no_delay(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = open_handle(info)) {
        int on = info.Length() > 0 && info[0]->BooleanValue(info.GetIsolate()) ? 1 : 0;
        info.GetReturnValue().Set(handle->fd() < 0 ? -EBADF : net::set_int_option(handle->fd(), IPPROTO_TCP, TCP_NODELAY, on));
    }
}

void tcp_set_keep_alive(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = open_handle(info);
    if (!handle)
        return;
    int fd = handle->fd();
    if (fd < 0)
        return info.GetReturnValue().Set(-EBADF);
    bool on = info.Length() > 0 && info[0]->BooleanValue(info.GetIsolate());
    int error = net::set_int_option(fd, SOL_SOCKET, SO_KEEPALIVE, on ? 1 : 0);
    if (error == 0 && on) {
        // libuv 1.46's choice: probe after `delay` idle seconds, then every second, 10 times.
        int delay = std::max(1, net::int_argument(info, 1, 1));
        error = net::set_int_option(fd, IPPROTO_TCP, TCP_KEEPIDLE, delay);
        if (error == 0)
            error = net::set_int_option(fd, IPPROTO_TCP, TCP_KEEPINTVL, 1);
        if (error == 0)
            error = net::set_int_option(fd, IPPROTO_TCP, TCP_KEEPCNT, 10);
    }
    info.GetReturnValue().Set(error);
}

void tcp_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = handle_of(info))
        handle->set_ref(true);
}

void tcp_unref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (TcpHandle* handle = handle_of(info))
        handle->set_ref(false);
}

void tcp_has_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = handle_of(info);
    info.GetReturnValue().Set(handle != nullptr && handle->has_ref());
}

void tcp_write_queue_size(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = handle_of(info);
    info.GetReturnValue().Set(static_cast<double>(handle ? handle->write_queue_size() : 0));
}

void tcp_fd(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    TcpHandle* handle = handle_of(info);
    info.GetReturnValue().Set(handle ? handle->fd() : -1);
}

constexpr NativeFunction k_methods[] = {
    { "bind", tcp_bind },
    { "listen", tcp_listen },
    { "connect", tcp_connect },
    { "readStart", tcp_read_start },
    { "readStop", tcp_read_stop },
    { "writeBuffer", tcp_write_buffer },
    { "writev", tcp_writev },
    { "shutdown", tcp_shutdown },
    { "close", tcp_close },
    { "getsockname", tcp_address<::getsockname> },
    { "getpeername", tcp_address<::getpeername> },
    { "setNoDelay", tcp_set_no_delay },
    { "setKeepAlive", tcp_set_keep_alive },
    { "ref", tcp_ref },
    { "unref", tcp_unref },
    { "hasRef", tcp_has_ref },
    { "writeQueueSize", tcp_write_queue_size },
    { "fd", tcp_fd },
};

} // namespace

void tcp_references(ExternalReferences& out)
{
    out.push_back(reinterpret_cast<intptr_t>(tcp_new));
    add_references(out, k_methods);
    net::add_error_helper_references(out);
}

v8::Local<v8::Object> register_tcp(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::FunctionTemplate> type = v8::FunctionTemplate::New(isolate, tcp_new);
    type->SetClassName(to_v8_string(isolate, "TCP"));
    type->InstanceTemplate()->SetInternalFieldCount(1);
    for (const NativeFunction& method : k_methods)
        type->PrototypeTemplate()->Set(
            to_v8_string(isolate, method.name), v8::FunctionTemplate::New(isolate, method.callback));

    v8::Local<v8::Object> exports = v8::Object::New(isolate);
    set_value(context, exports, "TCP", type->GetFunction(context).ToLocalChecked());
    net::add_error_helpers(context, exports);
    return exports;
}

} // namespace kiln::bindings

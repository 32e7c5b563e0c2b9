// internalBinding('udp'): UDP sockets on the event loop, for js-lib/lib/dgram.js and
// the DNS client in js-lib/lib/internal/dns/.
//
//   new UDP()
//   bind(host, port, reuseAddr)   → 0 | -errno
//   recvStart() / recvStop()      datagrams arrive as onmessage(nread, arrayBuffer, rinfo)
//                                 (nread < 0 is -errno; rinfo {address, family, port})
//   send(req, [views], port, host) → 0 | -errno. Sent at once when the socket takes it
//                                 (req.async = false); otherwise copied, queued and
//                                 reported as req.oncomplete(status)
//   getsockname(out) close(callback) ref() unref() hasRef() setBufferSize(which, size)
//
// System calls: socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK|SOCK_CLOEXEC), setsockopt
// (SO_REUSEADDR, SO_REUSEPORT, SO_RCVBUF, SO_SNDBUF), bind, sendmsg, recvmsg,
// getsockname, close. An unbound socket is bound to 0.0.0.0:0 by its first send, as
// Linux does implicitly.
#include <array>
#include <cerrno>
#include <deque>
#include <netinet/in.h>
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
#include "bindings/net_common.h"
#include "bindings/socket_handle.h"
#include "runtime/loop/loop.h"

namespace kiln::bindings {

namespace {

// The largest UDP payload over IPv4.
constexpr size_t k_datagram_size = 65507;
// Datagrams taken per readable event, so a flood cannot starve the loop.
constexpr int k_receives_per_event = 32;

// Per-isolate state of the binding (binding_state.h).
struct UdpState {
    explicit UdpState(v8::Isolate* isolate)
        : isolate(isolate)
    {
    }

    v8::Isolate* isolate;
    std::array<char, k_datagram_size + 1> buffer {};
};

UdpState& state_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    return binding_state<UdpState>(info.GetIsolate());
}

struct PendingSend {
    std::vector<char> bytes;
    sockaddr_in to {};
    v8::Global<v8::Object> request;
};

class UdpHandle final : public net::SocketHandle {
public:
    UdpHandle(UdpState& state, v8::Local<v8::Object> wrapper)
        : SocketHandle(state.isolate, wrapper)
        , m_state(state)
    {
    }

    int ensure_socket()
    {
        if (m_fd >= 0)
            return 0;
        int fd = net::open_socket(SOCK_DGRAM);
        if (fd < 0)
            return fd;
        adopt(fd);
        return 0;
    }

    int bind(const sockaddr_in& address, bool reuse)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        if (reuse) {
            if (int error = net::set_int_option(m_fd, SOL_SOCKET, SO_REUSEADDR, 1); error < 0)
                return error;
            if (int error = net::set_int_option(m_fd, SOL_SOCKET, SO_REUSEPORT, 1); error < 0)
                return error;
        }
        if (::bind(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0)
            return -errno;
        return 0;
    }

    int set_buffer_size(bool receive, int size)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        return net::set_int_option(m_fd, SOL_SOCKET, receive ? SO_RCVBUF : SO_SNDBUF, size);
    }

    int buffer_size(bool receive)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        int value = 0;
        socklen_t length = sizeof value;
        if (::getsockopt(m_fd, SOL_SOCKET, receive ? SO_RCVBUF : SO_SNDBUF, &value, &length) < 0)
            return -errno;
        return value;
    }

    int recv_start()
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        m_receiving = true;
        return update_interest();
    }

    void recv_stop()
    {
        m_receiving = false;
        (void)update_interest();
    }

    int send(v8::Local<v8::Object> request, std::span<iovec> chunks, const sockaddr_in& to)
    {
        if (int error = ensure_socket(); error < 0)
            return error;
        v8::Isolate* isolate = m_state.isolate;
        v8::Local<v8::Context> context = isolate->GetCurrentContext();
        if (m_queue.empty()) {
            int result = send_now(chunks, to);
            if (result != -EAGAIN) {
                if (result < 0)
                    return result;
                (void)request->Set(context, to_v8_string(isolate, "async"), v8::False(isolate)).FromMaybe(false);
                return 0;
            }
        }
        PendingSend pending;
        for (const iovec& chunk : chunks) {
            const char* base = static_cast<const char*>(chunk.iov_base);
            pending.bytes.insert(pending.bytes.end(), base, base + chunk.iov_len);
        }
        pending.to = to;
        pending.request.Reset(isolate, request);
        m_queue.push_back(std::move(pending));
        (void)request->Set(context, to_v8_string(isolate, "async"), v8::True(isolate)).FromMaybe(false);
        return update_interest();
    }

private:
    void drop_pending() override { m_queue.clear(); }

    int send_now(std::span<iovec> chunks, const sockaddr_in& to)
    {
        msghdr message {};
        message.msg_name = const_cast<sockaddr_in*>(&to);
        message.msg_namelen = sizeof to;
        message.msg_iov = chunks.data();
        message.msg_iovlen = chunks.size();
        ssize_t result;
        do
            result = ::sendmsg(m_fd, &message, 0);
        while (result < 0 && errno == EINTR);
        if (result < 0)
            return errno == EWOULDBLOCK ? -EAGAIN : -errno;
        return 0;
    }

    int update_interest()
    {
        if (!m_watcher || m_closed)
            return 0;
        loop::IoEvents interest { .readable = m_receiving, .writable = !m_queue.empty() };
        if (!interest.readable && !interest.writable) {
            m_watcher->stop();
            return 0;
        }
        return -m_watcher->start(interest);
    }

    void on_ready(loop::IoEvents ready) override
    {
        v8::Isolate* isolate = m_state.isolate;
        v8::HandleScope scope(isolate);
        if ((ready.writable || ready.error) && !m_queue.empty())
            flush_queue();
        if (!m_closed && m_receiving && (ready.readable || ready.error))
            receive();
        if (!m_closed && !m_receiving && m_queue.empty() && m_watcher)
            m_watcher->stop();
    }

    void flush_queue()
    {
        v8::Isolate* isolate = m_state.isolate;
        while (!m_queue.empty() && !m_closed) {
            PendingSend& front = m_queue.front();
            iovec chunk { front.bytes.data(), front.bytes.size() };
            int result = send_now({ &chunk, 1 }, front.to);
            if (result == -EAGAIN)
                break;
            v8::Local<v8::Object> request = front.request.Get(isolate);
            m_queue.pop_front();
            std::array<v8::Local<v8::Value>, 1> arguments { v8::Integer::New(isolate, result) };
            if (!net::call_method(isolate, request, "oncomplete", arguments))
                return;
        }
        (void)update_interest();
    }

    void receive()
    {
        v8::Isolate* isolate = m_state.isolate;
        for (int i = 0; i < k_receives_per_event && m_receiving && !m_closed; ++i) {
            sockaddr_in from {};
            iovec chunk { m_state.buffer.data(), m_state.buffer.size() };
            msghdr message {};
            message.msg_name = &from;
            message.msg_namelen = sizeof from;
            message.msg_iov = &chunk;
            message.msg_iovlen = 1;
            ssize_t count;
            do
                count = ::recvmsg(m_fd, &message, 0);
            while (count < 0 && errno == EINTR);
            if (count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            v8::HandleScope scope(isolate);
            v8::Local<v8::Value> data = v8::Undefined(isolate);
            v8::Local<v8::Value> rinfo = v8::Undefined(isolate);
            int status = count < 0 ? -errno : static_cast<int>(std::min<size_t>(count, k_datagram_size));
            if (count >= 0) {
                auto store = v8::ArrayBuffer::NewBackingStore(isolate, static_cast<size_t>(status));
                std::copy_n(m_state.buffer.data(), status, static_cast<char*>(store->Data()));
                data = v8::ArrayBuffer::New(isolate, std::move(store));
                rinfo = net::address_object(isolate, from);
            }
            std::array<v8::Local<v8::Value>, 3> arguments { v8::Integer::New(isolate, status), data, rinfo };
            if (!net::call_method(isolate, m_wrapper.Get(isolate), "onmessage", arguments))
                return;
        }
    }

    UdpState& m_state;
    std::deque<PendingSend> m_queue;
    bool m_receiving = false;
};

// The handle behind `this`, or -EBADF as the return value once it is closed.
UdpHandle* handle_of(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    auto* handle = net::SocketHandle::from<UdpHandle>(info);
    if (!handle)
        info.GetReturnValue().Set(-EBADF);
    return handle;
}

void udp_new(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!info.IsConstructCall()) {
        throw_type_error(info.GetIsolate(), "ERR_ILLEGAL_CONSTRUCTOR", "UDP must be called with new");
        return;
    }
    new UdpHandle(state_of(info), info.This());
}

void udp_bind(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    UdpHandle* handle = handle_of(info);
    if (!handle)
        return;
    sockaddr_in address;
    if (info.Length() < 2 || !info[0]->IsString()
        || !net::parse_ipv4(utf8(info.GetIsolate(), info[0]), net::int_argument(info, 1, -1), address))
        return info.GetReturnValue().Set(-EINVAL);
    bool reuse = info.Length() > 2 && info[2]->BooleanValue(info.GetIsolate());
    info.GetReturnValue().Set(handle->bind(address, reuse));
}

void udp_recv_start(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (UdpHandle* handle = handle_of(info))
        info.GetReturnValue().Set(handle->recv_start());
}

void udp_recv_stop(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (UdpHandle* handle = handle_of(info)) {
        handle->recv_stop();
        info.GetReturnValue().Set(0);
    }
}

void udp_send(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    UdpHandle* handle = handle_of(info);
    if (!handle)
        return;
    v8::Isolate* isolate = info.GetIsolate();
    sockaddr_in to;
    if (info.Length() < 4 || !info[0]->IsObject() || !info[1]->IsArray() || !info[3]->IsString()
        || !net::parse_ipv4(utf8(isolate, info[3]), net::int_argument(info, 2, -1), to))
        return info.GetReturnValue().Set(-EINVAL);
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Array> list = info[1].As<v8::Array>();
    std::vector<iovec> chunks;
    for (uint32_t i = 0; i < list->Length() && i < 1024; ++i) {
        v8::Local<v8::Value> item;
        if (!list->Get(context, i).ToLocal(&item) || !item->IsArrayBufferView())
            return info.GetReturnValue().Set(-EINVAL);
        v8::Local<v8::ArrayBufferView> view = item.As<v8::ArrayBufferView>();
        chunks.push_back({ static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset(), view->ByteLength() });
    }
    info.GetReturnValue().Set(handle->send(info[0].As<v8::Object>(), chunks, to));
}

void udp_getsockname(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    UdpHandle* handle = handle_of(info);
    if (!handle)
        return;
    if (info.Length() < 1 || !info[0]->IsObject() || handle->fd() < 0)
        return info.GetReturnValue().Set(-EBADF);
    sockaddr_in address {};
    socklen_t length = sizeof address;
    if (::getsockname(handle->fd(), reinterpret_cast<sockaddr*>(&address), &length) < 0)
        return info.GetReturnValue().Set(-errno);
    net::fill_address(info.GetIsolate(), info[0].As<v8::Object>(), address);
    info.GetReturnValue().Set(0);
}

// setBufferSize(receive, size) → 0 | -errno; bufferSize(receive) → size | -errno
void udp_set_buffer_size(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (UdpHandle* handle = handle_of(info))
        info.GetReturnValue().Set(
            handle->set_buffer_size(info.Length() > 0 && info[0]->IsTrue(), net::int_argument(info, 1, 0)));
}

void udp_buffer_size(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (UdpHandle* handle = handle_of(info))
        info.GetReturnValue().Set(handle->buffer_size(info.Length() > 0 && info[0]->IsTrue()));
}

void udp_close(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Local<v8::Object> self = info.This();
    if (self->InternalFieldCount() < 1)
        return;
    if (auto* handle = static_cast<UdpHandle*>(self->GetAlignedPointerFromInternalField(0)))
        handle->close(info.Length() > 0 ? info[0] : v8::Undefined(info.GetIsolate()).As<v8::Value>());
}

void udp_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (UdpHandle* handle = handle_of(info))
        handle->set_ref(true);
}

void udp_unref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (UdpHandle* handle = handle_of(info))
        handle->set_ref(false);
}

void udp_has_ref(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    UdpHandle* handle = handle_of(info);
    info.GetReturnValue().Set(handle != nullptr && handle->has_ref());
}

constexpr NativeFunction k_methods[] = {
    { "bind", udp_bind },
    { "recvStart", udp_recv_start },
    { "recvStop", udp_recv_stop },
    { "send", udp_send },
    { "getsockname", udp_getsockname },
    { "setBufferSize", udp_set_buffer_size },
    { "bufferSize", udp_buffer_size },
    { "close", udp_close },
    { "ref", udp_ref },
    { "unref", udp_unref },
    { "hasRef", udp_has_ref },
};

} // namespace

void udp_references(ExternalReferences& out)
{
    out.push_back(reinterpret_cast<intptr_t>(udp_new));
    add_references(out, k_methods);
    net::add_error_helper_references(out);
}

v8::Local<v8::Object> register_udp(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::FunctionTemplate> type = v8::FunctionTemplate::New(isolate, udp_new);
    type->SetClassName(to_v8_string(isolate, "UDP"));
    type->InstanceTemplate()->SetInternalFieldCount(1);
    for (const NativeFunction& method : k_methods)
        type->PrototypeTemplate()->Set(
            to_v8_string(isolate, method.name), v8::FunctionTemplate::New(isolate, method.callback));

    v8::Local<v8::Object> exports = v8::Object::New(isolate);
    set_value(context, exports, "UDP", type->GetFunction(context).ToLocalChecked());
    net::add_error_helpers(context, exports);
    return exports;
}

} // namespace kiln::bindings

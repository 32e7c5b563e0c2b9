// internalBinding('fs'): the file system calls behind js-lib/lib/fs.js, made with plain
// Linux system calls only (openat, read, pread64, write, pwrite64, statx, getdents64,
// readlinkat, faccessat, mkdirat, unlinkat, renameat, close), because the Kiln kernel
// implements exactly such a list (kernel/linux/SYSCALLS.md). Every call is synchronous;
// js-lib builds the callback and promise APIs on top. Failures throw Node-style errors
// naming the syscall and path ("ENOENT: no such file or directory, open '/x'").
#include "bindings/bindings.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <vector>

#include <v8-array-buffer.h>
#include <v8-container.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-typed-array.h>

namespace kiln::bindings {

namespace {

// The layout of the Float64Array stat() returns; js-lib/lib/fs.js builds Stats from it
// in the same order as Node's internal statValues.
enum StatField {
    k_dev,
    k_mode,
    k_nlink,
    k_uid,
    k_gid,
    k_rdev,
    k_blksize,
    k_ino,
    k_size,
    k_blocks,
    k_atime_ms,
    k_mtime_ms,
    k_ctime_ms,
    k_birthtime_ms,
    k_stat_field_count,
};

// Kinds statKind() and readdir(withTypes) report; the same numbers as libuv's
// uv_dirent_type_t, which js-lib's Dirent expects.
enum EntryKind {
    k_unknown = 0,
    k_file = 1,
    k_directory = 2,
    k_link = 3,
    k_fifo = 4,
    k_socket = 5,
    k_char = 6,
    k_block = 7
};

bool check_path(const v8::FunctionCallbackInfo<v8::Value>& info, int index)
{
    if (info.Length() > index && info[index]->IsString())
        return true;
    throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "The \"path\" argument must be of type string");
    return false;
}

bool check_int(const v8::FunctionCallbackInfo<v8::Value>& info, int index)
{
    if (info.Length() > index && info[index]->IsInt32())
        return true;
    throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "expected an integer argument");
    return false;
}

int int_argument(const v8::FunctionCallbackInfo<v8::Value>& info, int index)
{
    return info[index].As<v8::Int32>()->Value();
}

int open_retrying(const char* path, int flags, int mode)
{
    int fd;
    do
        fd = ::openat(AT_FDCWD, path, flags | O_CLOEXEC, mode);
    while (fd < 0 && errno == EINTR);
    return fd;
}

double milliseconds(const struct statx_timestamp& time)
{
    return static_cast<double>(time.tv_sec) * 1e3 + static_cast<double>(time.tv_nsec) / 1e6;
}

v8::Local<v8::Float64Array> stat_array(v8::Isolate* isolate, const struct statx& stat)
{
    v8::Local<v8::Float64Array> array = v8::Float64Array::New(
        v8::ArrayBuffer::New(isolate, k_stat_field_count * sizeof(double)), 0, k_stat_field_count);
    double* values = static_cast<double*>(array->Buffer()->Data());
    values[k_dev] = static_cast<double>(makedev(stat.stx_dev_major, stat.stx_dev_minor));
    values[k_mode] = stat.stx_mode;
    values[k_nlink] = stat.stx_nlink;
    values[k_uid] = stat.stx_uid;
    values[k_gid] = stat.stx_gid;
    values[k_rdev] = static_cast<double>(makedev(stat.stx_rdev_major, stat.stx_rdev_minor));
    values[k_blksize] = stat.stx_blksize;
    values[k_ino] = static_cast<double>(stat.stx_ino);
    values[k_size] = static_cast<double>(stat.stx_size);
    values[k_blocks] = static_cast<double>(stat.stx_blocks);
    values[k_atime_ms] = milliseconds(stat.stx_atime);
    values[k_mtime_ms] = milliseconds(stat.stx_mtime);
    values[k_ctime_ms] = milliseconds(stat.stx_ctime);
    // As libuv: the birth time is whatever statx reports (0 where the file system has none).
    values[k_birthtime_ms] = milliseconds(stat.stx_btime);
    return array;
}

int statx_path(int dirfd, const char* path, int flags, struct statx* out)
{
    return ::statx(dirfd, path, flags, STATX_BASIC_STATS | STATX_BTIME, out);
}

// open(path, flags, mode) -> fd
void open(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0) || !check_int(info, 1) || !check_int(info, 2))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    int fd = open_retrying(path.c_str(), int_argument(info, 1), int_argument(info, 2));
    if (fd < 0)
        return throw_errno_error(info.GetIsolate(), errno, "open", path);
    info.GetReturnValue().Set(fd);
}

void close(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_int(info, 0))
        return;
    // Linux closes the descriptor even when close() reports EINTR: never retry.
    if (::close(int_argument(info, 0)) < 0 && errno != EINTR)
        throw_errno_error(info.GetIsolate(), errno, "close");
}

// The bytes [offset, offset + length) of a typed array or DataView argument, or null
// after throwing.
char* view_bytes(const v8::FunctionCallbackInfo<v8::Value>& info, int index, size_t offset, size_t length)
{
    if (info.Length() <= index || !info[index]->IsArrayBufferView()) {
        throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "expected a Buffer, TypedArray or DataView");
        return nullptr;
    }
    v8::Local<v8::ArrayBufferView> view = info[index].As<v8::ArrayBufferView>();
    if (offset > view->ByteLength() || length > view->ByteLength() - offset) {
        throw_type_error(info.GetIsolate(), "ERR_OUT_OF_RANGE", "offset and length exceed the buffer");
        return nullptr;
    }
    return static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset() + offset;
}

// read(fd, view, offset, length, position) -> bytes read; position < 0 reads at the
// file position (read), otherwise at `position` (pread64).
void read(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_int(info, 0) || info.Length() < 5 || !info[2]->IsNumber() || !info[3]->IsNumber()
        || !info[4]->IsNumber())
        return throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "read(fd, view, offset, length, position)");
    auto offset = static_cast<size_t>(info[2].As<v8::Number>()->Value());
    auto length = static_cast<size_t>(info[3].As<v8::Number>()->Value());
    auto position = static_cast<off_t>(info[4].As<v8::Number>()->Value());
    char* bytes = view_bytes(info, 1, offset, length);
    if (!bytes)
        return;
    ssize_t count;
    do
        count = position < 0 ? ::read(int_argument(info, 0), bytes, length)
                             : ::pread(int_argument(info, 0), bytes, length, position);
    while (count < 0 && errno == EINTR);
    if (count < 0)
        return throw_errno_error(info.GetIsolate(), errno, "read");
    info.GetReturnValue().Set(static_cast<double>(count));
}

// write(fd, view, offset, length, position) -> bytes written (write / pwrite64).
void write(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_int(info, 0) || info.Length() < 5 || !info[2]->IsNumber() || !info[3]->IsNumber()
        || !info[4]->IsNumber())
        return throw_type_error(info.GetIsolate(), "ERR_INVALID_ARG_TYPE", "write(fd, view, offset, length, position)");
    auto offset = static_cast<size_t>(info[2].As<v8::Number>()->Value());
    auto length = static_cast<size_t>(info[3].As<v8::Number>()->Value());
    auto position = static_cast<off_t>(info[4].As<v8::Number>()->Value());
    const char* bytes = view_bytes(info, 1, offset, length);
    if (!bytes)
        return;
    ssize_t count;
    do
        count = position < 0 ? ::write(int_argument(info, 0), bytes, length)
                             : ::pwrite(int_argument(info, 0), bytes, length, position);
    while (count < 0 && errno == EINTR);
    if (count < 0)
        return throw_errno_error(info.GetIsolate(), errno, "write");
    info.GetReturnValue().Set(static_cast<double>(count));
}

// readFile(path, asUtf8) -> the whole file as a UTF-8 string or an ArrayBuffer. Sizes
// from fstat are only a hint: /proc files report 0 and are read to the end anyway.
void read_file(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    v8::Isolate* isolate = info.GetIsolate();
    std::string path = utf8(isolate, info[0]);
    bool as_utf8 = info.Length() > 1 && info[1]->IsTrue();
    int fd = open_retrying(path.c_str(), O_RDONLY, 0);
    if (fd < 0)
        return throw_errno_error(isolate, errno, "open", path);

    struct statx stat { };
    size_t capacity = 64 * 1024;
    if (statx_path(fd, "", AT_EMPTY_PATH, &stat) == 0 && stat.stx_size > 0)
        capacity = static_cast<size_t>(stat.stx_size) + 1;
    std::string bytes;
    size_t used = 0;
    for (;;) {
        if (bytes.size() - used == 0)
            bytes.resize(used + capacity);
        ssize_t count = ::read(fd, bytes.data() + used, bytes.size() - used);
        if (count > 0) {
            used += static_cast<size_t>(count);
            capacity = used;
            continue;
        }
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            int error = errno;
            ::close(fd);
            return throw_errno_error(isolate, error, "read");
        }
        break;
    }
    ::close(fd);
    bytes.resize(used);

    if (as_utf8) {
        v8::Local<v8::String> text;
        if (!v8::String::NewFromUtf8(isolate, bytes.data(), v8::NewStringType::kNormal, static_cast<int>(bytes.size()))
                 .ToLocal(&text))
            return throw_type_error(isolate, "ERR_STRING_TOO_LONG", "Cannot create a string longer than V8 allows");
        return info.GetReturnValue().Set(text);
    }
    v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, bytes.size());
    if (!bytes.empty())
        std::memcpy(buffer->Data(), bytes.data(), bytes.size());
    info.GetReturnValue().Set(buffer);
}

// stat(path, followLinks) -> Float64Array in StatField order (statx; "stat"/"lstat").
void stat(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    bool follow = info.Length() < 2 || info[1]->IsTrue();
    struct statx result { };
    if (statx_path(AT_FDCWD, path.c_str(), follow ? 0 : AT_SYMLINK_NOFOLLOW, &result) < 0)
        return throw_errno_error(info.GetIsolate(), errno, follow ? "stat" : "lstat", path);
    info.GetReturnValue().Set(stat_array(info.GetIsolate(), result));
}

void fstat(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_int(info, 0))
        return;
    struct statx result { };
    if (statx_path(int_argument(info, 0), "", AT_EMPTY_PATH, &result) < 0)
        return throw_errno_error(info.GetIsolate(), errno, "fstat");
    info.GetReturnValue().Set(stat_array(info.GetIsolate(), result));
}

EntryKind kind_of_mode(unsigned mode)
{
    switch (mode & S_IFMT) {
    case S_IFREG:
        return k_file;
    case S_IFDIR:
        return k_directory;
    case S_IFLNK:
        return k_link;
    case S_IFIFO:
        return k_fifo;
    case S_IFSOCK:
        return k_socket;
    case S_IFCHR:
        return k_char;
    case S_IFBLK:
        return k_block;
    default:
        return k_unknown;
    }
}

// statKind(path) -> EntryKind of what `path` leads to, or -errno. Never throws: module
// resolution probes many paths that do not exist.
void stat_kind(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    struct statx result { };
    if (::statx(AT_FDCWD, path.c_str(), 0, STATX_TYPE, &result) < 0)
        return info.GetReturnValue().Set(-errno);
    info.GetReturnValue().Set(kind_of_mode(result.stx_mode));
}

EntryKind kind_of_dirent(unsigned char type)
{
    switch (type) {
    case DT_REG:
        return k_file;
    case DT_DIR:
        return k_directory;
    case DT_LNK:
        return k_link;
    case DT_FIFO:
        return k_fifo;
    case DT_SOCK:
        return k_socket;
    case DT_CHR:
        return k_char;
    case DT_BLK:
        return k_block;
    default:
        return k_unknown;
    }
}

// The record getdents64 fills; glibc has no public declaration of it.
struct LinuxDirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

// readdir(path, withTypes) -> names without "." and "..", or [names, kinds].
void readdir(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    v8::Isolate* isolate = info.GetIsolate();
    std::string path = utf8(isolate, info[0]);
    bool with_types = info.Length() > 1 && info[1]->IsTrue();
    int fd = open_retrying(path.c_str(), O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0)
        return throw_errno_error(isolate, errno, "scandir", path);

    std::vector<v8::Local<v8::Value>> names;
    std::vector<v8::Local<v8::Value>> kinds;
    alignas(LinuxDirent64) char buffer[32 * 1024];
    for (;;) {
        long count = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer);
        if (count < 0 && errno == EINTR)
            continue;
        if (count < 0) {
            int error = errno;
            ::close(fd);
            return throw_errno_error(isolate, error, "scandir", path);
        }
        if (count == 0)
            break;
        for (long offset = 0; offset < count;) {
            auto* entry = reinterpret_cast<LinuxDirent64*>(buffer + offset);
            offset += entry->d_reclen;
            std::string_view name(entry->d_name);
            if (name == "." || name == "..")
                continue;
            names.push_back(to_v8_string(isolate, name));
            if (with_types)
                kinds.push_back(v8::Integer::New(isolate, kind_of_dirent(entry->d_type)));
        }
    }
    ::close(fd);

    v8::Local<v8::Array> name_array = v8::Array::New(isolate, names.data(), names.size());
    if (!with_types)
        return info.GetReturnValue().Set(name_array);
    v8::Local<v8::Value> pair[] = { name_array, v8::Array::New(isolate, kinds.data(), kinds.size()) };
    info.GetReturnValue().Set(v8::Array::New(isolate, pair, 2));
}

void readlink(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    char target[PATH_MAX];
    ssize_t length = ::readlinkat(AT_FDCWD, path.c_str(), target, sizeof target);
    if (length < 0)
        return throw_errno_error(info.GetIsolate(), errno, "readlink", path);
    info.GetReturnValue().Set(to_v8_string(info.GetIsolate(), std::string_view(target, static_cast<size_t>(length))));
}

// access(path, mode): F_OK/R_OK/W_OK/X_OK as in access(2).
void access(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0) || !check_int(info, 1))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    if (::faccessat(AT_FDCWD, path.c_str(), int_argument(info, 1), 0) < 0)
        throw_errno_error(info.GetIsolate(), errno, "access", path);
}

void mkdir(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0) || !check_int(info, 1))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    if (::mkdirat(AT_FDCWD, path.c_str(), static_cast<mode_t>(int_argument(info, 1))) < 0)
        throw_errno_error(info.GetIsolate(), errno, "mkdir", path);
}

void rmdir(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    if (::unlinkat(AT_FDCWD, path.c_str(), AT_REMOVEDIR) < 0)
        throw_errno_error(info.GetIsolate(), errno, "rmdir", path);
}

void unlink(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0))
        return;
    std::string path = utf8(info.GetIsolate(), info[0]);
    if (::unlinkat(AT_FDCWD, path.c_str(), 0) < 0)
        throw_errno_error(info.GetIsolate(), errno, "unlink", path);
}

void rename(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    if (!check_path(info, 0) || !check_path(info, 1))
        return;
    std::string from = utf8(info.GetIsolate(), info[0]);
    std::string to = utf8(info.GetIsolate(), info[1]);
    if (::renameat(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str()) < 0)
        throw_errno_error(info.GetIsolate(), errno, "rename", from, to);
}

constexpr NativeFunction k_functions[] = {
    { "open", open },
    { "close", close },
    { "read", read },
    { "write", write },
    { "readFile", read_file },
    { "stat", stat },
    { "fstat", fstat },
    { "statKind", stat_kind },
    { "readdir", readdir },
    { "readlink", readlink },
    { "access", access },
    { "mkdir", mkdir },
    { "rmdir", rmdir },
    { "unlink", unlink },
    { "rename", rename },
};

} // namespace

void fs_references(ExternalReferences& out) { add_references(out, k_functions); }

v8::Local<v8::Object> register_fs(v8::Local<v8::Context> context)
{
    v8::Isolate* isolate = context->GetIsolate();
    v8::Local<v8::Object> exports = v8::Object::New(isolate);
    set_functions(context, exports, k_functions);
    // The open() flags and access() modes of this platform, for fs.constants.
    v8::Local<v8::Object> constants = v8::Object::New(isolate);
    const std::pair<const char*, int> k_constants[] = {
        { "O_RDONLY", O_RDONLY },
        { "O_WRONLY", O_WRONLY },
        { "O_RDWR", O_RDWR },
        { "O_CREAT", O_CREAT },
        { "O_EXCL", O_EXCL },
        { "O_NOCTTY", O_NOCTTY },
        { "O_TRUNC", O_TRUNC },
        { "O_APPEND", O_APPEND },
        { "O_DIRECTORY", O_DIRECTORY },
        { "O_NOATIME", O_NOATIME },
        { "O_NOFOLLOW", O_NOFOLLOW },
        { "O_SYNC", O_SYNC },
        { "O_DSYNC", O_DSYNC },
        { "O_DIRECT", O_DIRECT },
        { "O_NONBLOCK", O_NONBLOCK },
        { "S_IFMT", S_IFMT },
        { "S_IFREG", S_IFREG },
        { "S_IFDIR", S_IFDIR },
        { "S_IFCHR", S_IFCHR },
        { "S_IFBLK", S_IFBLK },
        { "S_IFIFO", S_IFIFO },
        { "S_IFLNK", S_IFLNK },
        { "S_IFSOCK", S_IFSOCK },
        { "F_OK", F_OK },
        { "R_OK", R_OK },
        { "W_OK", W_OK },
        { "X_OK", X_OK },
    };
    for (const auto& [name, value] : k_constants)
        set_value(context, constants, name, v8::Integer::New(isolate, value));
    set_value(context, exports, "constants", constants);
    return exports;
}

} // namespace kiln::bindings

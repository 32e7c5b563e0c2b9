#pragma once

// Linux errno values (asm-generic/errno-base.h, errno.h). The kernel speaks the Linux ABI,
// so these are the numbers user space sees, negated, in RAX.
//
// The enumerators drop the leading E (Errno::NOENT for ENOENT) because portable code is
// also compiled on the host, where <errno.h> defines ENOENT and friends as macros.
// EUCLEAN is what Linux reports for a corrupt filesystem (EFSCORRUPTED).

// X(enumerator, value, "Linux name")
// clang-format off
#define KILN_ERRNO_LIST(X) \
    X(PERM, 1, "EPERM") \
    X(NOENT, 2, "ENOENT") \
    X(SRCH, 3, "ESRCH") \
    X(INTR, 4, "EINTR") \
    X(IO, 5, "EIO") \
    X(NXIO, 6, "ENXIO") \
    X(TOOBIG, 7, "E2BIG") \
    X(NOEXEC, 8, "ENOEXEC") \
    X(BADF, 9, "EBADF") \
    X(CHILD, 10, "ECHILD") \
    X(AGAIN, 11, "EAGAIN") \
    X(NOMEM, 12, "ENOMEM") \
    X(ACCES, 13, "EACCES") \
    X(FAULT, 14, "EFAULT") \
    X(BUSY, 16, "EBUSY") \
    X(EXIST, 17, "EEXIST") \
    X(XDEV, 18, "EXDEV") \
    X(NODEV, 19, "ENODEV") \
    X(NOTDIR, 20, "ENOTDIR") \
    X(ISDIR, 21, "EISDIR") \
    X(INVAL, 22, "EINVAL") \
    X(NFILE, 23, "ENFILE") \
    X(MFILE, 24, "EMFILE") \
    X(NOTTY, 25, "ENOTTY") \
    X(FBIG, 27, "EFBIG") \
    X(NOSPC, 28, "ENOSPC") \
    X(SPIPE, 29, "ESPIPE") \
    X(ROFS, 30, "EROFS") \
    X(MLINK, 31, "EMLINK") \
    X(PIPE, 32, "EPIPE") \
    X(DOM, 33, "EDOM") \
    X(RANGE, 34, "ERANGE") \
    X(DEADLK, 35, "EDEADLK") \
    X(NAMETOOLONG, 36, "ENAMETOOLONG") \
    X(NOSYS, 38, "ENOSYS") \
    X(NOTEMPTY, 39, "ENOTEMPTY") \
    X(LOOP, 40, "ELOOP") \
    X(NODATA, 61, "ENODATA") \
    X(OVERFLOW, 75, "EOVERFLOW") \
    X(ILSEQ, 84, "EILSEQ") \
    X(NOTSOCK, 88, "ENOTSOCK") \
    X(DESTADDRREQ, 89, "EDESTADDRREQ") \
    X(MSGSIZE, 90, "EMSGSIZE") \
    X(PROTOTYPE, 91, "EPROTOTYPE") \
    X(NOPROTOOPT, 92, "ENOPROTOOPT") \
    X(PROTONOSUPPORT, 93, "EPROTONOSUPPORT") \
    X(OPNOTSUPP, 95, "EOPNOTSUPP") \
    X(AFNOSUPPORT, 97, "EAFNOSUPPORT") \
    X(ADDRINUSE, 98, "EADDRINUSE") \
    X(ADDRNOTAVAIL, 99, "EADDRNOTAVAIL") \
    X(NETDOWN, 100, "ENETDOWN") \
    X(NETUNREACH, 101, "ENETUNREACH") \
    X(CONNABORTED, 103, "ECONNABORTED") \
    X(CONNRESET, 104, "ECONNRESET") \
    X(NOBUFS, 105, "ENOBUFS") \
    X(ISCONN, 106, "EISCONN") \
    X(NOTCONN, 107, "ENOTCONN") \
    X(TIMEDOUT, 110, "ETIMEDOUT") \
    X(CONNREFUSED, 111, "ECONNREFUSED") \
    X(HOSTUNREACH, 113, "EHOSTUNREACH") \
    X(ALREADY, 114, "EALREADY") \
    X(INPROGRESS, 115, "EINPROGRESS") \
    X(UCLEAN, 117, "EUCLEAN") \
    X(CANCELED, 125, "ECANCELED")
// clang-format on

namespace kiln {

enum class Errno : int {
#define KILN_ERRNO_ENUMERATOR(name, value, text) name = value,
    KILN_ERRNO_LIST(KILN_ERRNO_ENUMERATOR)
#undef KILN_ERRNO_ENUMERATOR
};

// Name of an errno value for logs ("ENOENT"); "E?" for values this table lacks.
const char* errno_name(Errno e);

}  // namespace kiln

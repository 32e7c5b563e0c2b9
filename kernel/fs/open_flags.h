#pragma once

#include <stdint.h>

namespace kiln {

// open(2) flags, x86-64 values (asm-generic/fcntl.h).
inline constexpr uint32_t O_ACCMODE_MASK = 03;
inline constexpr uint32_t O_READ_ONLY = 00;
inline constexpr uint32_t O_WRITE_ONLY = 01;
inline constexpr uint32_t O_READ_WRITE = 02;
inline constexpr uint32_t O_CREATE = 0100;
inline constexpr uint32_t O_EXCLUSIVE = 0200;
inline constexpr uint32_t O_TRUNCATE = 01000;
inline constexpr uint32_t O_APPEND_FLAG = 02000;
inline constexpr uint32_t O_NONBLOCK_FLAG = 04000;
inline constexpr uint32_t O_DIRECTORY_FLAG = 0200000;
inline constexpr uint32_t O_NOFOLLOW_FLAG = 0400000;
inline constexpr uint32_t O_CLOEXEC_FLAG = 02000000;
inline constexpr uint32_t O_PATH_FLAG = 010000000;
inline constexpr uint32_t O_TMPFILE_FLAG = 020000000;

// Flags kept on the open file description and reported by F_GETFL.
inline constexpr uint32_t O_STATUS_FLAGS = O_ACCMODE_MASK | O_APPEND_FLAG | O_NONBLOCK_FLAG | O_PATH_FLAG;

inline bool open_for_writing(uint32_t flags)
{
    uint32_t mode = flags & O_ACCMODE_MASK;
    return mode == O_WRITE_ONLY || mode == O_READ_WRITE;
}

}  // namespace kiln

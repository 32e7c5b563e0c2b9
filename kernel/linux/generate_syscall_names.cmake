# cmake -P generate_syscall_names.cmake INPUT=<asm/unistd_64.h> OUTPUT=<file.inc>
# Turns Linux's x86-64 system-call numbers (Debian's linux-libc-dev) into
# `{number, "name"},` lines for the kernel's name table, so logs say "epoll_pwait2"
# rather than "441" and the numbers always match the UAPI headers.
file(STRINGS "${INPUT}" lines REGEX "^#define __NR_[a-z0-9_]+ [0-9]+$")
set(out "// Generated from ${INPUT} by generate_syscall_names.cmake. Do not edit.\n")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^#define __NR_([a-z0-9_]+) ([0-9]+)$" "\\1;\\2" parts "${line}")
  list(GET parts 0 name)
  list(GET parts 1 number)
  string(APPEND out "{${number}, \"${name}\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${out}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")

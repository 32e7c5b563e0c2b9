#pragma once

// Starting the program: load the ELF executable and its interpreter (glibc's ld.so)
// into the address space, build the initial stack, and say where to begin.

#include <stdint.h>

#include <span>
#include <string_view>

#include "lib/result.h"

namespace kiln::exec {

struct ProgramStart {
    uint64_t entry;  // the interpreter's entry point, or the program's when static
    uint64_t stack_pointer;
};

struct ExecFailure {
    const char* what = "";       // which step failed, for the boot log
    const char* path = "";       // the file it concerned
};

// The program path is argv[0]. ENOENT/EACCES/ENOEXEC/ENOMEM/E2BIG as execve(2) reports.
Result<ProgramStart> load_program(std::span<const std::string_view> argv, std::span<const std::string_view> envp,
    ExecFailure& failure);

}  // namespace kiln::exec

// One entry stub per IDT vector. Each pushes a zero error code where the CPU pushes none
// (so every frame has the same shape), then the vector number, and jumps to the common
// path, which saves the general registers and calls interrupt_dispatch(InterruptFrame*).

#include "arch/x86_64/register_frame.inc"

    .text

.macro STUB vector, has_error_code
    .balign 16
interrupt_stub_\vector:
    .if \has_error_code == 0
    pushq $0
    .endif
    pushq $\vector
    jmp interrupt_common
.endm

// Vectors where the CPU pushes an error code (Intel SDM vol. 3, table 6-1).
.macro STUB_FOR vector
    .if \vector == 8 || (\vector >= 10 && \vector <= 14) || \vector == 17 || \vector == 21 || \vector == 29 || \vector == 30
    STUB \vector, 1
    .else
    STUB \vector, 0
    .endif
.endm

.altmacro
.set i, 0
.rept 256
    STUB_FOR %i
    .set i, i + 1
.endr

interrupt_common:
    // From ring 3 (the saved CS has RPL 3), %gs must become the kernel's.
    testb $3, 24(%rsp)
    jz 1f
    swapgs
1:  PUSH_GENERAL_REGISTERS
    mov %rsp, %rdi
    // The frame is 8 modulo 16 after the CPU's 5 words and our 17; realign for C++.
    mov %rsp, %rbx
    and $-16, %rsp
    call interrupt_dispatch
    mov %rbx, %rsp
    POP_GENERAL_REGISTERS
    add $16, %rsp               // vector and error code
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq

// Table of stub addresses, for building the IDT in C++.
.macro STUB_ADDRESS vector
    .quad interrupt_stub_\vector
.endm

    .section .rodata
    .balign 8
    .global interrupt_stubs
interrupt_stubs:
.set i, 0
.rept 256
    STUB_ADDRESS %i
    .set i, i + 1
.endr

// SYSCALL entry (SDM vol. 2, SYSCALL): the CPU saved the user RIP in %rcx and RFLAGS in
// %r11, masked RFLAGS with FMASK (interrupts now off) and loaded the kernel CS/SS; the
// stack is still the user's. We switch to the kernel stack, build an InterruptFrame
// (interrupt_frame.h) so faults, system calls and signals share one layout, and call
// syscall_dispatch(frame). The return value is in frame->rax.
//
// Linux's system-call ABI: number in %rax, arguments in %rdi %rsi %rdx %r10 %r8 %r9,
// result in %rax; %rcx and %r11 are clobbered, every other register is preserved.

#define PERCPU_KERNEL_STACK 0
#define PERCPU_USER_RSP 8
#define USER_DATA_SELECTOR (0x20 | 3)
#define USER_CODE_SELECTOR (0x28 | 3)
#define SYSCALL_VECTOR 0x80

#include "arch/x86_64/register_frame.inc"

    .text
    .global syscall_entry
syscall_entry:
    swapgs
    mov %rsp, %gs:PERCPU_USER_RSP
    mov %gs:PERCPU_KERNEL_STACK, %rsp
    pushq $USER_DATA_SELECTOR       // ss
    pushq %gs:PERCPU_USER_RSP       // rsp
    pushq %r11                      // rflags
    pushq $USER_CODE_SELECTOR       // cs
    pushq %rcx                      // rip
    pushq $0                        // error code
    pushq $SYSCALL_VECTOR           // vector: marks a system-call frame
    PUSH_GENERAL_REGISTERS
    xor %ebp, %ebp                  // end of the kernel's frame-pointer chain
    mov %rsp, %rdi
    call syscall_dispatch
    POP_GENERAL_REGISTERS
    add $16, %rsp                   // vector, error code
    // SYSRET reloads RIP from %rcx and RFLAGS from %r11. The frame's RIP is always a
    // canonical user address: the top user page is never mapped, so a SYSCALL can
    // never sit at the very end of the lower half (the SYSRET #GP erratum).
    popq %rcx                       // rip
    add $8, %rsp                    // cs
    popq %r11                       // rflags
    popq %rsp                       // user rsp; NMIs and #MC use IST stacks
    swapgs
    sysretq

// enter_user_mode_asm(rip, rsp, rflags): the first (and only) entry into ring 3.
    .global enter_user_mode_asm
enter_user_mode_asm:
    cli
    pushq $USER_DATA_SELECTOR
    pushq %rsi
    pushq %rdx
    pushq $USER_CODE_SELECTOR
    pushq %rdi
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    xor %esi, %esi
    xor %edi, %edi
    xor %ebp, %ebp
    xor %r8d, %r8d
    xor %r9d, %r9d
    xor %r10d, %r10d
    xor %r11d, %r11d
    xor %r12d, %r12d
    xor %r13d, %r13d
    xor %r14d, %r14d
    xor %r15d, %r15d
    mov $USER_DATA_SELECTOR, %ax
    mov %ax, %ds
    mov %ax, %es
    xor %eax, %eax
    swapgs
    iretq

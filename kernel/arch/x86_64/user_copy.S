// Copies between kernel and user memory that survive bad user pointers. A page fault
// inside the marked instruction ranges that the memory manager cannot resolve resumes
// at the fixup label instead of panicking (see user_copy_fixup_for in exceptions.cpp),
// and the function reports how far it got. With SMAP on, user pages are reachable only
// between STAC and CLAC.

    .text

.macro USER_ACCESS_BEGIN
    testb $1, g_smap_enabled(%rip)
    jz 91f
    stac
91:
.endm

.macro USER_ACCESS_END
    testb $1, g_smap_enabled(%rip)
    jz 92f
    clac
92:
.endm

// uint64_t user_copy(void* destination, const void* source, uint64_t length)
// Returns the number of bytes NOT copied (0 on success).
    .global user_copy
user_copy:
    mov %rdx, %rcx
    USER_ACCESS_BEGIN
    .global user_copy_fault_begin
user_copy_fault_begin:
    rep movsb
    .global user_copy_fault_end
user_copy_fault_end:
    USER_ACCESS_END
    mov %rcx, %rax
    ret
    .global user_copy_fixup
user_copy_fixup:
    USER_ACCESS_END
    mov %rcx, %rax
    ret

// int64_t user_copy_string(char* destination, const char* source, uint64_t capacity)
// Copies a NUL-terminated string of at most capacity bytes including the NUL. Returns
// its length without the NUL, -1 on a fault, or capacity when no NUL came in time.
    .global user_copy_string
user_copy_string:
    xor %eax, %eax
    USER_ACCESS_BEGIN
    .global user_copy_string_fault_begin
user_copy_string_fault_begin:
1:  cmp %rdx, %rax
    je 2f
    movb (%rsi, %rax), %cl
    .global user_copy_string_fault_end
user_copy_string_fault_end:
    movb %cl, (%rdi, %rax)
    test %cl, %cl
    jz 3f
    inc %rax
    jmp 1b
2:  // no NUL within capacity
3:  USER_ACCESS_END
    ret
    .global user_copy_string_fixup
user_copy_string_fixup:
    USER_ACCESS_END
    mov $-1, %rax
    ret

// int user_memset(void* destination, int value, uint64_t length): bytes NOT set.
    .global user_memset
user_memset:
    mov %rdx, %rcx
    mov %esi, %eax
    USER_ACCESS_BEGIN
    .global user_memset_fault_begin
user_memset_fault_begin:
    rep stosb
    .global user_memset_fault_end
user_memset_fault_end:
    USER_ACCESS_END
    mov %rcx, %rax
    ret
    .global user_memset_fixup
user_memset_fixup:
    USER_ACCESS_END
    mov %rcx, %rax
    ret

// PVH entry: QEMU (and Firecracker, cloud-hypervisor) start us here in 32-bit protected
// mode with paging off, flat segments, interrupts off and %ebx = physical address of the
// hvm_start_info structure (xen/include/public/arch-x86/hvm/start_info.h).
//
// We build boot page tables, enter long mode, move to the higher half and call
// kernel_main(start_info_phys). Everything in this file runs at its physical address
// (the .boot sections are linked where they are loaded).

#include "arch/x86_64/layout.h"

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define CR0_PE (1 << 0)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define PTE_PRESENT 0x1
#define PTE_WRITABLE 0x2
#define PTE_HUGE 0x80

// The PVH note. QEMU reads its payload as a pointer-sized value for an ELF64 kernel,
// so it is a .quad (as Linux does), and the note section is 4-byte aligned because
// QEMU steps over the name by the segment's alignment.
    .section .note.Xen, "a", @note
    .balign 4
    .long 4                     // namesz
    .long 8                     // descsz
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .quad pvh_entry

    .section .boot.text, "ax", @progbits
    .code32
    .global pvh_entry
pvh_entry:
    cli
    cld
    mov %ebx, %esi              // keep start_info across the set-up
    mov $boot_stack_top, %esp

    // Long mode is required; without it there is nothing sensible to run.
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz no_long_mode
    mov %edx, %edi              // bit 20: NX available

    // Page directories: 4 GiB of 2 MiB pages, entry i maps physical i * 2 MiB.
    mov $boot_pd, %ebx
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $(PTE_PRESENT | PTE_WRITABLE | PTE_HUGE), %eax
    mov %eax, (%ebx, %ecx, 8)
    mov %ecx, %eax
    shr $11, %eax               // high dword of i * 2 MiB
    mov %eax, 4(%ebx, %ecx, 8)
    inc %ecx
    cmp $(4 * 512), %ecx
    jne 1b

    // PDPT for the low half (identity) and the direct map: four 1 GiB slots.
    mov $boot_pdpt_low, %ebx
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $12, %eax
    add $boot_pd, %eax
    or $(PTE_PRESENT | PTE_WRITABLE), %eax
    mov %eax, (%ebx, %ecx, 8)
    inc %ecx
    cmp $4, %ecx
    jne 2b

    // PDPT for the top 2 GiB: slots 510 and 511 map physical 0-2 GiB.
    mov $(boot_pd + PTE_PRESENT + PTE_WRITABLE), %eax
    mov %eax, boot_pdpt_high + 510 * 8
    mov $(boot_pd + 4096 + PTE_PRESENT + PTE_WRITABLE), %eax
    mov %eax, boot_pdpt_high + 511 * 8

    // PML4: 0 = identity (the code below runs there until the jump), 256 = direct map,
    // 511 = kernel image.
    mov $(boot_pdpt_low + PTE_PRESENT + PTE_WRITABLE), %eax
    mov %eax, boot_pml4
    mov %eax, boot_pml4 + 256 * 8
    mov $(boot_pdpt_high + PTE_PRESENT + PTE_WRITABLE), %eax
    mov %eax, boot_pml4 + 511 * 8

    mov %cr4, %eax
    or $CR4_PAE, %eax
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3

    mov $MSR_EFER, %ecx
    rdmsr
    or $EFER_LME, %eax
    test $(1 << 20), %edi
    jz 3f
    or $EFER_NXE, %eax
3:  wrmsr

    mov %cr0, %eax
    or $(CR0_PE | CR0_WP | CR0_PG), %eax
    mov %eax, %cr0

    lgdt boot_gdt_pointer
    ljmp $GDT_KERNEL_CODE, $long_mode_entry

no_long_mode:
    // Say why on COM1 and stop; there is no exit status to give without a 64-bit kernel.
    mov $no_long_mode_message, %esi
4:  lodsb
    test %al, %al
    jz 5f
    mov $0x3f8, %dx
    out %al, %dx
    jmp 4b
5:  cli
    hlt
    jmp 5b

    .code64
long_mode_entry:
    mov $GDT_KERNEL_DATA, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %eax, %eax
    mov %ax, %fs
    mov %ax, %gs
    mov %esi, %edi              // zero-extends: start_info physical address, argument 1
    movabs $higher_half_entry, %rax
    jmp *%rax

    .section .boot.data, "aw", @progbits
    .balign 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    // 0x08: 64-bit kernel code
    .quad 0x00cf92000000ffff    // 0x10: kernel data
boot_gdt_end:
boot_gdt_pointer:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
no_long_mode_message:
    .asciz "kiln: this CPU has no long mode (x86-64); cannot boot\n"

    .section .boot.bss, "aw", @nobits
    .balign 4096
boot_pml4:
    .skip 4096
boot_pdpt_low:
    .skip 4096
boot_pdpt_high:
    .skip 4096
boot_pd:
    .skip 4 * 4096
boot_stack:
    .skip 4096
boot_stack_top:

// From here on we run at the kernel's virtual address.
    .text
higher_half_entry:
    movabs $kernel_stack_top, %rsp
    xor %ebp, %ebp
    call kernel_main
6:  cli
    hlt
    jmp 6b

    .bss
    .balign 16
    .global kernel_stack_top
kernel_stack:
    .skip 64 * 1024
kernel_stack_top:

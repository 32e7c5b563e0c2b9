#pragma once

// Virtual memory layout, shared by assembly and C++. Mirrors Linux: user space in the
// lower half, a direct map of physical memory at the start of the higher half, and the
// kernel image in the top 2 GiB (so -mcmodel=kernel addressing works).

#define KERNEL_PHYS_BASE 0x100000
#define KERNEL_VIRT_BASE 0xffffffff80000000
#define DIRECT_MAP_BASE 0xffff800000000000

// The boot page tables map this much physical memory (identity, direct map and, from
// 0, the kernel window). The memory manager replaces them with maps sized from the
// boot memory map.
#define BOOT_MAPPED_BYTES (4 * 1024 * 1024 * 1024ULL)

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10

#pragma once

// The process's memory: the physical page allocator, the kernel heap, the page tables
// and the user address space, tied together. The portable pieces live in mm/; this file
// is the glue that touches CR3, flushes the TLB and resolves page faults.

#include <stddef.h>
#include <stdint.h>

#include "boot/boot_info.h"
#include "lib/result.h"
#include "mm/address_space.h"
#include "mm/page_table.h"
#include "mm/physical_allocator.h"

namespace kiln {

// Boot, once, before anything allocates: builds the allocator from the memory map
// (keeping the kernel image and the initrd out of it), the heap, the user address space
// and takes the lower half of the boot page tables away from the kernel.
Result<void> memory_init(const BootInfo& boot);

mm::AddressSpace& address_space();
mm::PhysicalAllocator& physical_allocator();

// Maps device registers (uncached, kernel only) into the kernel's MMIO window and returns
// where. For the LAPIC, IOAPIC and virtio/PCI register blocks. Boot time only.
Result<volatile uint8_t*> map_device_memory(uint64_t physical, uint64_t length);

// Physical address of kernel memory reached through the direct map.
uint64_t direct_map_physical(const void* pointer);
void* direct_map_pointer(uint64_t physical);

enum class FaultResult { Resolved, Segv, Bus, OutOfMemory };

// A page fault at a user address: demand-zero pages, file pages (mapped straight from
// the image where possible), copy-on-write of image pages, stack growth.
FaultResult handle_user_page_fault(uint64_t address, uint64_t error_code);

// The memory system calls, after argument checks: they update the address space and
// make the page tables agree.
Result<uint64_t> memory_mmap(const mm::MapRequest& request);
Result<void> memory_munmap(uint64_t address, uint64_t length);
Result<void> memory_mprotect(uint64_t address, uint64_t length, uint32_t prot);
Result<void> memory_madvise(uint64_t address, uint64_t length, uint32_t advice);
Result<uint64_t> memory_mremap(uint64_t old_address, uint64_t old_size, uint64_t new_size, uint32_t flags,
    uint64_t new_address);
uint64_t memory_brk(uint64_t requested);

// Maps the clock page ([vvar]) and the vDSO ([vdso]) top-down; returns the vDSO's
// address for AT_SYSINFO_EHDR.
Result<uint64_t> memory_map_vdso();

// Maps zeroed pages now rather than on first touch (the initial stack, the ELF image's
// bss) and copies `length` bytes from source to user address `address`.
Result<void> memory_populate(uint64_t address, uint64_t length);

// /proc/self/maps and /proc/meminfo text (PseudoFileSources).
size_t memory_maps_text(char* out, size_t capacity);
size_t memory_meminfo_text(char* out, size_t capacity);
uint64_t memory_total_bytes();
uint64_t memory_free_bytes();

}  // namespace kiln

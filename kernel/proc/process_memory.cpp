#include "proc/process_memory.h"

#include <new>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "arch/x86_64/layout.h"
#include "dev/console.h"
#include "fs/file.h"
#include "lib/format.h"
#include "lib/kalloc.h"
#include "mm/heap.h"
#include "proc/process.h"
#include "proc/stats.h"
#include "time/clock.h"

extern "C" char __kernel_phys_start[];
extern "C" char __kernel_phys_end[];
extern "C" const char vdso_image_start[];
extern "C" const char vdso_image_end[];

namespace kiln {
namespace {

using namespace mm;

constexpr size_t MAX_REGIONS = 16384;
// Beyond this many pages a full TLB flush (CR3 reload) is cheaper than INVLPG each.
constexpr uint64_t INVLPG_LIMIT = 32;

// Device registers are mapped uncached here, away from the (cacheable) direct map.
constexpr uint64_t MMIO_WINDOW_BASE = 0xffffc00000000000;
constexpr uint64_t MMIO_WINDOW_SIZE = 1ULL << 30;
uint64_t g_mmio_next = MMIO_WINDOW_BASE;

// The names mark the two special regions; the fault handler knows them by pointer.
const char VVAR_NAME[] = "[vvar]";
const char VDSO_NAME[] = "[vdso]";

PhysicalMemory g_physical(DIRECT_MAP_BASE);
PhysicalAllocator g_allocator;
alignas(Heap) uint8_t g_heap_storage[sizeof(Heap)];
PageTable g_page_table;
alignas(AddressSpace) uint8_t g_address_space_storage[sizeof(AddressSpace)];
AddressSpace* g_address_space;
FrameSource g_frames;

void flush(const RangeChange& change)
{
    if (!change.flush_needed())
        return;
    uint64_t pages = change.entries ? (change.last - change.first) / PAGE_SIZE + 1 : 0;
    if (change.tables_freed || pages > INVLPG_LIMIT) {
        x86::write_cr3(x86::read_cr3());
        return;
    }
    for (uint64_t address = change.first; address <= change.last; address += PAGE_SIZE)
        x86::invlpg(address);
}

// Frames of the root image are mapped straight into user space; only frames the
// allocator owns go back to it.
void release_frame(void*, uint64_t, const Translation& old)
{
    if (g_allocator.owns(old.frame))
        (void)g_allocator.free_page(old.frame);
}

Result<void> unmap_pages(uint64_t start, uint64_t length)
{
    TRY(RangeChange change, g_page_table.unmap_range(start, length, UnmapVisitor { nullptr, release_frame }));
    flush(change);
    return {};
}

// VmaVisitor for regions that left the address space: drop their pages.
void unmap_removed_piece(void*, const Vma& piece) { (void)unmap_pages(piece.start, piece.size()); }
constexpr VmaVisitor UNMAP_REMOVED { nullptr, unmap_removed_piece };

PageFlags page_flags_for(uint32_t prot, bool writable)
{
    PageFlags flags = PageFlags::Present | PageFlags::User;
    if (writable && (prot & LINUX_PROT_WRITE))
        flags = flags | PageFlags::Writable;
    if (!(prot & LINUX_PROT_EXEC))
        flags = flags | PageFlags::NoExecute;
    return flags;
}

Result<uint64_t> allocate_zeroed_page()
{
    TRY(uint64_t frame, g_allocator.allocate_page());
    __builtin_memset(g_physical.pointer(frame), 0, PAGE_SIZE);
    return frame;
}

// Fault-around (Linux's fault_around_bytes): code and read-only data are read in
// sequence, so when one image page faults, map the following ones of the same region
// too. They cost no memory (they are the image's own pages) and each avoided fault
// saves a trip through the exception path, which is slow under TCG.
constexpr uint64_t FAULT_AROUND_PAGES = 16;

void map_image_neighbours(const Vma& vma, uint64_t page, const uint8_t* contents, uint64_t size)
{
    for (uint64_t i = 1; i < FAULT_AROUND_PAGES; ++i) {
        uint64_t next = page + i * PAGE_SIZE;
        uint64_t offset = vma.file_offset + (next - vma.start);
        if (next >= vma.end || offset + PAGE_SIZE > size)
            return;
        if (g_page_table.translate(next))
            continue;
        if (g_page_table.map(next, direct_map_physical(contents + offset), page_flags_for(vma.prot, false)).is_error())
            return;
    }
}

// Maps the file page of `vma` at `page`: straight from the image when it is read-only,
// page-aligned and wholly inside the file, otherwise a private copy.
FaultResult fault_in_file_page(const Vma& vma, uint64_t page)
{
    auto* file = static_cast<File*>(const_cast<void*>(vma.file));
    uint64_t offset = vma.file_offset + (page - vma.start);
    uint64_t size = file->size();
    // Linux: touching a page wholly beyond the end of the file is SIGBUS.
    if (offset >= page_round_up(size))
        return FaultResult::Bus;
    const uint8_t* contents = file->contents();
    if (!(vma.prot & LINUX_PROT_WRITE) && contents && offset + PAGE_SIZE <= size
        && is_page_aligned(direct_map_physical(contents + offset))) {
        if (g_page_table.map(page, direct_map_physical(contents + offset), page_flags_for(vma.prot, false)).is_error())
            return FaultResult::OutOfMemory;
        ++g_stats.faults_file_mapped;
        map_image_neighbours(vma, page, contents, size);
        return FaultResult::Resolved;
    }
    auto frame = allocate_zeroed_page();
    if (frame.is_error())
        return FaultResult::OutOfMemory;
    uint64_t n = size - offset < PAGE_SIZE ? size - offset : PAGE_SIZE;
    if (file->read(offset, IoBuffer::kernel(g_physical.pointer(frame.value()), n)).is_error()) {
        (void)g_allocator.free_page(frame.value());
        return FaultResult::Bus;
    }
    if (g_page_table.map(page, frame.value(), page_flags_for(vma.prot, true)).is_error()) {
        (void)g_allocator.free_page(frame.value());
        return FaultResult::OutOfMemory;
    }
    ++g_stats.faults_file_copied;
    return FaultResult::Resolved;
}

// A write to a present read-only page of a writable private mapping: the page is an
// image page mapped read-only until now; give the process its own copy.
FaultResult copy_on_write(const Vma& vma, uint64_t page, const Translation& old)
{
    auto frame = g_allocator.allocate_page();
    if (frame.is_error())
        return FaultResult::OutOfMemory;
    __builtin_memcpy(g_physical.pointer(frame.value()), g_physical.pointer(old.frame), PAGE_SIZE);
    g_page_table.unmap(page);
    x86::invlpg(page);
    release_frame(nullptr, page, old);
    if (g_page_table.map(page, frame.value(), page_flags_for(vma.prot, true)).is_error()) {
        (void)g_allocator.free_page(frame.value());
        return FaultResult::OutOfMemory;
    }
    ++g_stats.faults_copy_on_write;
    return FaultResult::Resolved;
}

// protect_range filter: image frames stay read-only so that writes copy them first.
PageFlags keep_image_pages_read_only(void*, uint64_t, const Translation& old, PageFlags wanted)
{
    if (!g_allocator.owns(old.frame))
        return wanted & ~PageFlags::Writable;
    return wanted;
}

uint64_t kernel_image_physical(const void* pointer)
{
    return reinterpret_cast<uint64_t>(pointer) - KERNEL_VIRT_BASE;
}

// [vvar] is the kernel's clock page, [vdso] the embedded shared object's pages; both are
// kernel image pages shared read-only with the process.
FaultResult fault_in_special_page(const Vma& vma, uint64_t page)
{
    uint64_t physical = vma.name == VVAR_NAME
        ? clock_data_physical()
        : kernel_image_physical(vdso_image_start) + (page - vma.start);
    if (g_page_table.map(page, physical, page_flags_for(vma.prot, false)).is_error())
        return FaultResult::OutOfMemory;
    return FaultResult::Resolved;
}

FileDescription describe_file(void*, const void* file)
{
    auto* f = static_cast<const File*>(file);
    LinuxStat st {};
    (void)f->stat(st);
    return FileDescription { static_cast<uint32_t>(st.dev >> 8), static_cast<uint32_t>(st.dev & 0xff), st.ino,
        f->path() };
}

}  // namespace

Result<volatile uint8_t*> map_device_memory(uint64_t physical, uint64_t length)
{
    uint64_t first = page_round_down(physical);
    uint64_t size = page_round_up(physical + length) - first;
    if (length == 0 || size > MMIO_WINDOW_BASE + MMIO_WINDOW_SIZE - g_mmio_next)
        return Errno::NOMEM;
    uint64_t virtual_base = g_mmio_next;
    PageFlags flags = PageFlags::Present | PageFlags::Writable | PageFlags::CacheDisable | PageFlags::WriteThrough
        | PageFlags::NoExecute | PageFlags::Global;
    for (uint64_t offset = 0; offset < size; offset += PAGE_SIZE)
        TRY_VOID(g_page_table.map(virtual_base + offset, first + offset, flags));
    g_mmio_next += size + PAGE_SIZE;  // an unmapped page between blocks catches overruns
    return reinterpret_cast<volatile uint8_t*>(virtual_base + (physical - first));
}

uint64_t direct_map_physical(const void* pointer) { return g_physical.physical(pointer); }
void* direct_map_pointer(uint64_t physical) { return g_physical.pointer(physical); }

Result<void> memory_init(const BootInfo& boot)
{
    MemoryRange ram[BootInfo::MAX_REGIONS];
    size_t ram_count = 0;
    for (size_t i = 0; i < boot.memory_count; ++i) {
        const MemoryRegion& r = boot.memory[i];
        if (r.type != MemoryType::Ram || r.base >= BOOT_MAPPED_BYTES)
            continue;
        // FIXME: the direct map covers the first 4 GiB only; RAM above it is unused.
        uint64_t end = r.base + r.size > BOOT_MAPPED_BYTES ? BOOT_MAPPED_BYTES : r.base + r.size;
        ram[ram_count++] = MemoryRange { r.base, end - r.base };
    }
    MemoryRange reserved[2] = {
        { reinterpret_cast<uint64_t>(__kernel_phys_start), reinterpret_cast<uint64_t>(__kernel_phys_end)
                - reinterpret_cast<uint64_t>(__kernel_phys_start) },
        { boot.initrd.base, boot.has_initrd ? boot.initrd.size : 0 },
    };
    TRY(g_allocator, PhysicalAllocator::try_create(std::span(ram, ram_count), std::span(reserved, 2), g_physical));
    g_frames = g_allocator.frame_source();
    auto* heap = new (g_heap_storage) Heap(g_physical, g_frames);
    set_kernel_heap(heap);

    // The boot tables identity-map the low 4 GiB for the jump to the higher half; that
    // half now belongs to the process.
    uint64_t root = x86::read_cr3() & ~PAGE_OFFSET_MASK;
    g_physical.pointer<uint64_t>(root)[0] = 0;
    x86::write_cr3(root);
    g_page_table = PageTable::adopt(root, g_physical, g_frames, x86::cpu_features().nx);

    auto* storage = static_cast<Vma*>(kalloc(MAX_REGIONS * sizeof(Vma)));
    if (!storage)
        return Errno::NOMEM;
    g_address_space = new (g_address_space_storage) AddressSpace(std::span(storage, MAX_REGIONS));
    return {};
}

AddressSpace& address_space() { return *g_address_space; }
PhysicalAllocator& physical_allocator() { return g_allocator; }

FaultResult handle_user_page_fault(uint64_t address, uint64_t error_code)
{
    constexpr uint64_t PF_PRESENT = 1, PF_WRITE = 2, PF_FETCH = 16;
    uint64_t page = page_round_down(address);
    const Vma* vma = g_address_space->find(address);
    if (!vma) {
        auto grown = g_address_space->expand_stack(address, current_process().limits[RLIMIT_STACK].current);
        if (grown.is_error())
            return FaultResult::Segv;
        vma = grown.value();
    }
    bool write = error_code & PF_WRITE;
    if (write && !(vma->prot & LINUX_PROT_WRITE))
        return FaultResult::Segv;
    if ((error_code & PF_FETCH) && !(vma->prot & LINUX_PROT_EXEC))
        return FaultResult::Segv;
    if (!(vma->prot & (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC)))
        return FaultResult::Segv;

    if (error_code & PF_PRESENT) {
        auto current = g_page_table.translate(page);
        if (!current)
            return FaultResult::Segv;
        if (write && !has(current->flags, PageFlags::Writable))
            return copy_on_write(*vma, page, *current);
        // Another path already fixed the entry; the TLB held the stale one.
        x86::invlpg(page);
        return FaultResult::Resolved;
    }
    if (vma->name == VVAR_NAME || vma->name == VDSO_NAME)
        return fault_in_special_page(*vma, page);
    if (!vma->anonymous())
        return fault_in_file_page(*vma, page);
    auto frame = allocate_zeroed_page();
    if (frame.is_error())
        return FaultResult::OutOfMemory;
    if (g_page_table.map(page, frame.value(), page_flags_for(vma->prot, true)).is_error()) {
        (void)g_allocator.free_page(frame.value());
        return FaultResult::OutOfMemory;
    }
    ++g_stats.faults_anonymous;
    return FaultResult::Resolved;
}

Result<uint64_t> memory_mmap(const MapRequest& request) { return g_address_space->mmap(request, UNMAP_REMOVED); }

Result<void> memory_munmap(uint64_t address, uint64_t length)
{
    return g_address_space->munmap(address, length, UNMAP_REMOVED);
}

Result<void> memory_mprotect(uint64_t address, uint64_t length, uint32_t prot)
{
    auto changed = [](void*, const Vma& piece) {
        PageFlags flags = page_flags_for(piece.prot, true);
        if (!(piece.prot & (LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC)))
            flags = flags & ~PageFlags::Present;
        auto change = g_page_table.protect_range(
            piece.start, piece.size(), flags, ProtectFilter { nullptr, keep_image_pages_read_only });
        if (!change.is_error())
            flush(change.value());
    };
    return g_address_space->mprotect(address, length, prot, VmaVisitor { nullptr, changed });
}

Result<void> memory_madvise(uint64_t address, uint64_t length, uint32_t advice)
{
    // DONTNEED and FREE drop the pages: the next touch sees zeros (anonymous) or the
    // file again, as Linux does for private mappings.
    return g_address_space->madvise(address, length, advice, UNMAP_REMOVED);
}

Result<uint64_t> memory_mremap(uint64_t old_address, uint64_t old_size, uint64_t new_size, uint32_t flags,
    uint64_t new_address)
{
    TRY(RemapResult result,
        g_address_space->mremap(old_address, old_size, new_size, flags, new_address, UNMAP_REMOVED));
    if (result.moved) {
        TRY(RangeChange change, g_page_table.move_range(result.old_address, result.address, result.moved_length));
        flush(change);
    }
    return result.address;
}

Result<uint64_t> memory_map_vdso()
{
    uint64_t vdso_size = page_round_up(static_cast<uint64_t>(vdso_image_end - vdso_image_start));
    MapRequest both;
    both.length = PAGE_SIZE + vdso_size;
    both.prot = LINUX_PROT_READ;
    both.flags = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS;
    both.name = VVAR_NAME;
    TRY(uint64_t base, g_address_space->mmap(both));
    MapRequest vdso;
    vdso.address = base + PAGE_SIZE;
    vdso.length = vdso_size;
    vdso.prot = LINUX_PROT_READ | LINUX_PROT_EXEC;
    vdso.flags = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED;
    vdso.name = VDSO_NAME;
    TRY_VOID(g_address_space->mmap(vdso));
    return base + PAGE_SIZE;
}

uint64_t memory_brk(uint64_t requested) { return g_address_space->brk(requested, UNMAP_REMOVED); }

Result<void> memory_populate(uint64_t address, uint64_t length)
{
    for (uint64_t page = page_round_down(address); page < address + length; page += PAGE_SIZE) {
        if (g_page_table.translate(page))
            continue;
        switch (handle_user_page_fault(page, 2 /* write */)) {
        case FaultResult::Resolved:
            break;
        case FaultResult::OutOfMemory:
            return Errno::NOMEM;
        default:
            return Errno::FAULT;
        }
    }
    return {};
}

size_t memory_maps_text(char* out, size_t capacity)
{
    return g_address_space->format_maps(out, capacity, FileDescriber { nullptr, describe_file });
}

uint64_t memory_total_bytes() { return g_allocator.total_pages() * PAGE_SIZE; }
uint64_t memory_free_bytes() { return g_allocator.free_pages() * PAGE_SIZE; }

size_t memory_meminfo_text(char* out, size_t capacity)
{
    uint64_t total_kb = memory_total_bytes() / 1024;
    uint64_t free_kb = memory_free_bytes() / 1024;
    return format(out, capacity,
        "MemTotal:       %8lu kB\n"
        "MemFree:        %8lu kB\n"
        "MemAvailable:   %8lu kB\n"
        "Buffers:               0 kB\n"
        "Cached:                0 kB\n"
        "SwapCached:            0 kB\n"
        "SwapTotal:             0 kB\n"
        "SwapFree:              0 kB\n",
        total_kb, free_kb, free_kb);
}

}  // namespace kiln

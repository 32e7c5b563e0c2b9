#include "mm/heap.h"

namespace kiln::mm {

namespace {

// Sizes chosen so that (4096 - 64) / size wastes little: 1008 fits four per slab where
// 1024 would fit three, 2016 two where 2048 would fit one.
constexpr uint16_t CLASS_SIZES[Heap::CLASS_COUNT]
    = { 16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 672, 1008, 1344, 2016 };
static_assert(CLASS_SIZES[Heap::CLASS_COUNT - 1] == Heap::MAX_SMALL);
constexpr size_t SLOTS_MAX = (PAGE_SIZE - Heap::HEADER_SIZE) / 16;
constexpr size_t BITMAP_WORDS = (SLOTS_MAX + 63) / 64;

constexpr uint32_t SLAB_MAGIC = 0x4b534c42; // "KSLB"
constexpr uint32_t LARGE_MAGIC = 0x4b4c5247; // "KLRG"
constexpr uint8_t POISON = 0xdf;

struct LargeHeader {
    uint32_t magic;
    uint32_t reserved;
    uint64_t pages;
};
static_assert(sizeof(LargeHeader) <= Heap::HEADER_SIZE);

size_t class_index(size_t size)
{
    size_t i = 0;
    while (CLASS_SIZES[i] < size)
        ++i;
    return i;
}

} // namespace

struct Heap::Slab {
    uint32_t magic;
    uint8_t size_class;
    uint8_t reserved;
    uint16_t in_use;
    uint16_t capacity;
    Slab* previous;
    Slab* next;
    uint64_t used[BITMAP_WORDS]; // 1 = slot handed out

    size_t slot_size() const { return CLASS_SIZES[size_class]; }
    uint8_t* slot(size_t index) { return reinterpret_cast<uint8_t*>(this) + HEADER_SIZE + index * slot_size(); }
};

Heap::Heap(PhysicalMemory memory, FrameSource frames, HeapOptions options)
    : m_memory(memory)
    , m_frames(frames)
    , m_options(options)
{
    static_assert(sizeof(Slab) <= HEADER_SIZE);
}

size_t Heap::class_size(size_t size) { return size > MAX_SMALL ? 0 : CLASS_SIZES[class_index(size)]; }

void Heap::report(const char* what, const void* pointer)
{
    if (m_options.corruption)
        m_options.corruption(m_options.context, what, pointer);
}

Heap::Slab* Heap::new_slab(size_t size_class)
{
    Result<uint64_t> frame = m_frames.allocate_frames(1);
    if (!frame)
        return nullptr;
    auto* slab = m_memory.pointer<Slab>(*frame);
    __builtin_memset(slab, 0, sizeof(Slab));
    slab->magic = SLAB_MAGIC;
    slab->size_class = static_cast<uint8_t>(size_class);
    slab->capacity = static_cast<uint16_t>((PAGE_SIZE - HEADER_SIZE) / CLASS_SIZES[size_class]);
    slab->next = m_partial[size_class];
    if (slab->next)
        slab->next->previous = slab;
    m_partial[size_class] = slab;
    ++m_stats.slab_pages;
    return slab;
}

void Heap::unlink(Slab* slab)
{
    if (slab->previous)
        slab->previous->next = slab->next;
    else
        m_partial[slab->size_class] = slab->next;
    if (slab->next)
        slab->next->previous = slab->previous;
    slab->previous = nullptr;
    slab->next = nullptr;
}

void* Heap::allocate(size_t size)
{
    if (size > MAX_SMALL) {
        if (size > SIZE_MAX - HEADER_SIZE - PAGE_SIZE)
            return nullptr;
        size_t pages = (size + HEADER_SIZE + PAGE_SIZE - 1) / PAGE_SIZE;
        Result<uint64_t> frames = m_frames.allocate_frames(pages);
        if (!frames)
            return nullptr;
        auto* header = m_memory.pointer<LargeHeader>(*frames);
        header->magic = LARGE_MAGIC;
        header->reserved = 0;
        header->pages = pages;
        m_stats.large_pages += pages;
        ++m_stats.large_blocks;
        return reinterpret_cast<uint8_t*>(header) + HEADER_SIZE;
    }
    size_t size_class = class_index(size);
    Slab* slab = m_partial[size_class];
    if (slab == nullptr) {
        slab = new_slab(size_class);
        if (slab == nullptr)
            return nullptr;
    }
    for (size_t w = 0; w < BITMAP_WORDS; ++w) {
        if (slab->used[w] == ~0ULL)
            continue;
        size_t index = w * 64 + static_cast<size_t>(__builtin_ctzll(~slab->used[w]));
        if (index >= slab->capacity)
            break;
        slab->used[w] |= 1ULL << (index % 64);
        if (++slab->in_use == slab->capacity)
            unlink(slab);
        m_stats.small_bytes += slab->slot_size();
        ++m_stats.small_blocks;
        return slab->slot(index);
    }
    // A slab on the partial list always has a free slot.
    report("heap: full slab on the partial list", slab);
    return nullptr;
}

void* Heap::allocate_zeroed(size_t size)
{
    void* block = allocate(size);
    if (block)
        __builtin_memset(block, 0, size);
    return block;
}

void Heap::free(void* pointer)
{
    if (pointer == nullptr)
        return;
    uintptr_t address = reinterpret_cast<uintptr_t>(pointer);
    uintptr_t page = address & ~static_cast<uintptr_t>(PAGE_OFFSET_MASK);
    uint32_t magic = *reinterpret_cast<const uint32_t*>(page);
    if (magic == LARGE_MAGIC && address == page + HEADER_SIZE) {
        auto* header = reinterpret_cast<LargeHeader*>(page);
        uint64_t pages = header->pages;
        header->magic = 0;
        m_stats.large_pages -= pages;
        --m_stats.large_blocks;
        m_frames.release_frames(m_memory.physical(header), pages);
        return;
    }
    if (magic != SLAB_MAGIC || address - page < HEADER_SIZE) {
        report("heap: free of a pointer the heap did not return", pointer);
        return;
    }
    auto* slab = reinterpret_cast<Slab*>(page);
    size_t offset = address - page - HEADER_SIZE;
    size_t index = offset / slab->slot_size();
    if (offset % slab->slot_size() != 0 || index >= slab->capacity) {
        report("heap: free of a pointer inside a block", pointer);
        return;
    }
    uint64_t bit = 1ULL << (index % 64);
    if (!(slab->used[index / 64] & bit)) {
        report("heap: double free", pointer);
        return;
    }
    slab->used[index / 64] &= ~bit;
    if (m_options.poison_on_free)
        __builtin_memset(pointer, POISON, slab->slot_size());
    m_stats.small_bytes -= slab->slot_size();
    --m_stats.small_blocks;
    if (slab->in_use-- == slab->capacity) {
        slab->next = m_partial[slab->size_class];
        if (slab->next)
            slab->next->previous = slab;
        m_partial[slab->size_class] = slab;
    }
    // Keep one empty slab per class so a free/allocate pair at the boundary does not
    // go back and forth to the frame source; give back the others.
    if (slab->in_use == 0 && (slab->previous || slab->next)) {
        unlink(slab);
        slab->magic = 0;
        --m_stats.slab_pages;
        m_frames.release_frames(m_memory.physical(slab), 1);
    }
}

size_t Heap::usable_size(const void* pointer) const
{
    if (pointer == nullptr)
        return 0;
    uintptr_t address = reinterpret_cast<uintptr_t>(pointer);
    uintptr_t page = address & ~static_cast<uintptr_t>(PAGE_OFFSET_MASK);
    uint32_t magic = *reinterpret_cast<const uint32_t*>(page);
    if (magic == LARGE_MAGIC && address == page + HEADER_SIZE)
        return reinterpret_cast<const LargeHeader*>(page)->pages * PAGE_SIZE - HEADER_SIZE;
    if (magic != SLAB_MAGIC || address - page < HEADER_SIZE)
        return 0;
    const auto* slab = reinterpret_cast<const Slab*>(page);
    size_t offset = address - page - HEADER_SIZE;
    size_t index = offset / slab->slot_size();
    if (offset % slab->slot_size() != 0 || index >= slab->capacity
        || !(slab->used[index / 64] & (1ULL << (index % 64))))
        return 0;
    return slab->slot_size();
}

namespace {
Heap* g_kernel_heap = nullptr;
} // namespace

void set_kernel_heap(Heap* heap) { g_kernel_heap = heap; }
Heap* kernel_heap() { return g_kernel_heap; }

} // namespace kiln::mm

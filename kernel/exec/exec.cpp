#include "exec/exec.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/cpu_features.h"
#include "exec/elf.h"
#include "exec/initial_stack.h"
#include "fs/file.h"
#include "fs/open_flags.h"
#include "fs/vfs.h"
#include "lib/kalloc.h"
#include "proc/process_memory.h"
#include "random/entropy.h"

namespace kiln::exec {
namespace {

using namespace mm;

// Linux's ELF_ET_DYN_BASE for x86-64 (2/3 of TASK_SIZE, page aligned): where a PIE
// program goes when address-space randomization is off, as gdb shows it on the host.
constexpr uint64_t PIE_BASE = 0x555555554000;
// The initial stack region: Linux starts it just below the top of user space with
// 132 KiB mapped, and lets page faults grow it to RLIMIT_STACK.
constexpr uint64_t STACK_TOP = 0x7ffffffff000 - 0x1000;
constexpr uint64_t STACK_INITIAL_SIZE = 132 * 1024;
constexpr size_t STACK_BUILD_AREA = 64 * 1024;

struct LoadedImage {
    uint64_t bias = 0;
    uint64_t entry = 0;
    uint64_t phdr = 0;
    uint16_t phnum = 0;
    uint64_t end = 0;  // page-aligned end of the highest segment
};

uint32_t prot_for(const ElfSegment& segment)
{
    uint32_t prot = 0;
    if (segment.readable())
        prot |= LINUX_PROT_READ;
    if (segment.writable())
        prot |= LINUX_PROT_WRITE;
    if (segment.executable())
        prot |= LINUX_PROT_EXEC;
    return prot;
}

// The whole file as bytes in kernel memory: the image itself when the file is stored
// in one piece (mkfs.erofs -E noinline_data, which kiln's images use), else a copy that
// is never freed — the parsed ELF (its interpreter path) points into it, and this runs
// once per boot.
Result<std::span<const uint8_t>> file_bytes(File* file)
{
    if (const uint8_t* contents = file->contents())
        return std::span<const uint8_t>(contents, file->size());
    auto* copy = static_cast<uint8_t*>(kalloc(file->size()));
    if (!copy)
        return Errno::NOMEM;
    TRY(size_t n, file->read(0, IoBuffer::kernel(copy, file->size())));
    return std::span<const uint8_t>(copy, n);
}

// Maps every PT_LOAD of `elf` (backed by `file`) at `bias`, as the Linux ELF loader and
// ld.so do: file pages for [vaddr, vaddr + filesz), the rest of the last file page
// zeroed, anonymous pages for the bss beyond it.
Result<void> map_segments(const ElfImage& elf, File* file, uint64_t bias)
{
    for (ElfSegment segment : elf.load_segments()) {
        uint64_t start = page_round_down(bias + segment.vaddr);
        uint64_t file_end = bias + segment.vaddr + segment.filesz;
        uint64_t memory_end = page_round_up(bias + segment.vaddr + segment.memsz);
        uint64_t mapped_file_end = page_round_up(file_end);
        uint32_t prot = prot_for(segment);
        if (segment.filesz > 0) {
            MapRequest request;
            request.address = start;
            request.length = mapped_file_end - start;
            request.prot = prot;
            request.flags = LINUX_MAP_PRIVATE | LINUX_MAP_FIXED;
            request.file = file;
            request.offset = page_round_down(segment.offset);
            TRY_VOID(memory_mmap(request));
            // Bytes of the last file page past filesz belong to the bss: zero them.
            if (segment.memsz > segment.filesz && file_end < mapped_file_end) {
                if (!(prot & LINUX_PROT_WRITE))
                    return Errno::NOEXEC;
                TRY_VOID(memory_populate(file_end, mapped_file_end - file_end));
                TRY_VOID(clear_user(UserAddress { file_end }, mapped_file_end - file_end));
            }
        } else {
            mapped_file_end = start;
        }
        if (memory_end > mapped_file_end) {
            MapRequest bss;
            bss.address = mapped_file_end;
            bss.length = memory_end - mapped_file_end;
            bss.prot = prot;
            bss.flags = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED;
            TRY_VOID(memory_mmap(bss));
        }
    }
    return {};
}

Result<LoadedImage> load_image(const char* path, bool is_interpreter, ExecFailure& failure, File** out_file,
    ElfImage* out_elf)
{
    failure.path = path;
    failure.what = "cannot open";
    TRY(File * file, vfs::open(nullptr, path, O_READ_ONLY, 0));
    failure.what = "not a regular file";
    LinuxStat st;
    TRY_VOID(file->stat(st));
    if ((st.mode & MODE_TYPE_MASK) != MODE_REGULAR)
        return Errno::ACCES;
    failure.what = "cannot read";
    TRY(std::span<const uint8_t> bytes, file_bytes(file));
    failure.what = "not a valid x86-64 ELF file";
    TRY(ElfImage elf, ElfImage::try_parse(bytes));
    if (!elf.entry_is_executable())
        return Errno::NOEXEC;

    LoadedImage image;
    uint64_t span = elf.max_vaddr() - elf.min_vaddr();
    if (elf.type() == ElfType::SharedObject) {
        if (is_interpreter) {
            // Anywhere the top-down allocator likes: reserve the whole span, then
            // place the segments inside it with MAP_FIXED.
            MapRequest reserve;
            reserve.length = span;
            reserve.prot = LINUX_PROT_NONE;
            reserve.flags = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS;
            failure.what = "no room in the address space";
            TRY(uint64_t base, memory_mmap(reserve));
            image.bias = base - elf.min_vaddr();
        } else {
            image.bias = PIE_BASE - elf.min_vaddr();
        }
    }
    failure.what = "cannot map its segments";
    TRY_VOID(map_segments(elf, file, image.bias));
    image.entry = image.bias + elf.entry();
    image.phdr = image.bias + elf.program_headers_vaddr().value_or(0);
    image.phnum = elf.program_header_count();
    image.end = page_round_up(image.bias + elf.max_vaddr());
    // The mappings hold the file from now on (see sys_mmap for why it is never dropped).
    *out_file = file;
    *out_elf = elf;
    return image;
}

Result<uint64_t> build_stack(std::span<const std::string_view> argv, std::span<const std::string_view> envp,
    std::span<const AuxEntry> auxv, ExecFailure& failure)
{
    failure.what = "cannot map the stack";
    MapRequest stack;
    stack.address = STACK_TOP - STACK_INITIAL_SIZE;
    stack.length = STACK_INITIAL_SIZE;
    stack.prot = LINUX_PROT_READ | LINUX_PROT_WRITE;
    stack.flags = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED | LINUX_MAP_GROWSDOWN;
    stack.name = "[stack]";
    TRY_VOID(memory_mmap(stack));

    auto* area = static_cast<uint8_t*>(kalloc(STACK_BUILD_AREA));
    if (!area)
        return Errno::NOMEM;
    uint8_t random[16];
    random_fill(random, sizeof(random));
    InitialStackSpec spec { argv, envp, auxv, random, "x86_64", argv[0] };
    failure.what = "arguments and environment do not fit on the stack";
    auto rsp = build_initial_stack(std::span(area, STACK_BUILD_AREA), STACK_TOP, spec);
    if (rsp.is_error()) {
        kfree(area);
        return rsp.error();
    }
    uint64_t used = STACK_TOP - rsp.value();
    auto copied = copy_to_user(UserAddress { rsp.value() }, area + STACK_BUILD_AREA - used, used);
    kfree(area);
    TRY_VOID(copied);
    return rsp.value();
}

}  // namespace

Result<ProgramStart> load_program(std::span<const std::string_view> argv, std::span<const std::string_view> envp,
    ExecFailure& failure)
{
    char path[PATH_CAPACITY];
    if (argv.empty() || argv[0].size() >= sizeof(path))
        return Errno::NOENT;
    __builtin_memcpy(path, argv[0].data(), argv[0].size());
    path[argv[0].size()] = '\0';

    File* program_file = nullptr;
    ElfImage program;
    TRY(LoadedImage image, load_image(path, false, failure, &program_file, &program));
    address_space().set_brk_base(image.end);

    LoadedImage interpreter;
    bool has_interpreter = program.interpreter().has_value();
    if (has_interpreter) {
        std::string_view interp = *program.interpreter();
        char interp_path[PATH_CAPACITY];
        if (interp.size() >= sizeof(interp_path))
            return Errno::NOEXEC;
        __builtin_memcpy(interp_path, interp.data(), interp.size());
        interp_path[interp.size()] = '\0';
        File* interp_file = nullptr;
        ElfImage interp_elf;
        TRY(interpreter, load_image(interp_path, true, failure, &interp_file, &interp_elf));
    }

    const auto& cpu = x86::cpu_features();
    constexpr uint64_t HWCAP2_FSGSBASE = 1 << 1;
    failure.what = "cannot map the vDSO";
    failure.path = "";
    TRY(uint64_t vdso, memory_map_vdso());
    AuxEntry auxv[] = {
        { AT_SYSINFO_EHDR, vdso },
        { AT_MINSIGSTKSZ, cpu.xsave_size + 1024 },
        { AT_HWCAP, x86::cpuid(1).edx },
        { AT_PAGESZ, PAGE_SIZE },
        { AT_CLKTCK, 100 },
        { AT_PHDR, image.phdr },
        { AT_PHENT, program.program_header_size() },
        { AT_PHNUM, image.phnum },
        { AT_BASE, has_interpreter ? interpreter.bias : 0 },
        { AT_FLAGS, 0 },
        { AT_ENTRY, image.entry },
        { AT_UID, 0 },
        { AT_EUID, 0 },
        { AT_GID, 0 },
        { AT_EGID, 0 },
        { AT_SECURE, 0 },
        { AT_HWCAP2, cpu.fsgsbase ? HWCAP2_FSGSBASE : 0 },
    };
    TRY(uint64_t rsp, build_stack(argv, envp, auxv, failure));
    vfs::set_executable_path(path);
    return ProgramStart { has_interpreter ? interpreter.entry : image.entry, rsp };
}

}  // namespace kiln::exec

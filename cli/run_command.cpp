// kiln run [dir|image] [options] [-- args]: build the image if given an app folder (or
// reuse an up-to-date one), boot it, stream the console and exit with the app's status.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "accel.h"
#include "app_image.h"
#include "arguments.h"
#include "commands.h"
#include "image_variant.h"
#include "json_tree.h"
#include "options.h"
#include "package_json.h"
#include "paths.h"
#include "vm.h"

namespace kiln::cli {

namespace fs = std::filesystem;

namespace {

void print_run_help(FILE* out)
{
    std::fprintf(out,
        "usage: kiln run [dir|image] [options] [-- args...]\n"
        "\n"
        "Boots an app in a VM (QEMU microvm), streams its console and exits with the app's\n"
        "exit status. The target is an app folder (with package.json; built first, or an\n"
        "up-to-date build is reused), a built image folder (dist/<name>.kiln) or a root\n"
        "image file (root.erofs). Without one, the current folder.\n"
        "\n"
        "options:\n"
        "  -m, --memory SIZE   guest memory, e.g. 512M or 2G (default: package.json\n"
        "                      \"kiln\".memory, else 512M)\n"
        "  -p, --publish HOST:GUEST[/udp]\n"
        "                      forward 127.0.0.1:HOST on this machine to the guest's TCP\n"
        "                      port GUEST (one port: the same on both sides; /udp: UDP);\n"
        "                      repeatable; user networking only\n"
        "  --disk FILE[:SIZE][,ro]\n"
        "                      attach FILE as a virtio disk (vda, vdb... in order); with\n"
        "                      SIZE (64M, 1G) a missing FILE is created; ,ro read-only\n"
        "  --env KEY=VALUE     add to the app's environment; repeatable\n"
        "  -- args...          append to the app's arguments (process.argv)\n"
        "  --accel MODE        auto (default), kvm or tcg. auto picks KVM only when it is\n"
        "                      hardware KVM (kvm_intel/kvm_amd), never kvm_pvm\n"
        "  --no-kvm            same as --accel tcg\n"
        "  --net user|tap:IFNAME|none\n"
        "                      the VM's network device. user (default): QEMU's user\n"
        "                      network, outbound connections, DHCP, DNS and -p ports; the\n"
        "                      host is 10.0.2.2 from the guest. tap:IFNAME: the host tap\n"
        "                      device IFNAME (QEMU creates it if missing), which needs\n"
        "                      CAP_NET_ADMIN or a tap owned by you (ip tuntap add dev\n"
        "                      IFNAME mode tap user $USER); the guest gets a real address\n"
        "                      on that link (--ip, or DHCP if the link has a server).\n"
        "                      none: no network device\n"
        "  --no-net            same as --net none\n"
        "  --ip ADDRESS/PREFIX[,GATEWAY[,DNS]]\n"
        "                      static guest address (kernel kiln.ip=), e.g.\n"
        "                      192.168.77.2/24,192.168.77.1; default: DHCP\n"
        "  --kernel FILE       kernel to boot (default: the image's, else the one built\n"
        "                      with this kiln)\n"
        "  --append ARGS       extra kernel command-line words (kiln.strace, kiln.stats)\n"
        "  -v, --verbose       show the kernel's boot messages and build progress\n"
        "  -h, --help          this help\n"
        "\n"
        "--env and -- args change the image's manifest (the kernel reads argv and env only\n"
        "from there), so they run a variant of the image, built once and cached.\n"
        "Ctrl-C shuts the VM down; kiln then exits 130.\n");
}

enum class Target { App, Artifact, Image };

// The VM settings a target brings with it: package.json "kiln" or an artifact's
// manifest.json "vm".
struct Defaults {
    std::string memory;
    std::vector<std::string> ports;
    std::vector<std::string> disks;
    std::string append;
    fs::path disk_base; // relative disk paths are relative to this
};

std::string read_text(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string artifact_defaults(const fs::path& dir, Defaults& out)
{
    fs::path file = dir / "manifest.json";
    initrd::JsonParse parsed = initrd::parse_json(read_text(file));
    if (!parsed.root || !parsed.root->is_object() || !parsed.root->find("kiln_image"))
        return file.string() + " is not a Kiln image manifest; rebuild with kiln build";
    if (const auto* vm = parsed.root->find("vm"); vm && vm->is_object()) {
        if (const auto* memory = vm->find("memory"))
            out.memory = memory->text;
        if (const auto* ports = vm->find("ports"))
            for (const auto& port : ports->items)
                out.ports.push_back(port.text);
        if (const auto* disks = vm->find("disks"))
            for (const auto& disk : disks->items)
                out.disks.push_back(disk.text);
        if (const auto* append = vm->find("append"))
            out.append = append->text;
    }
    out.disk_base = ".";
    return {};
}

// --net, --ip and whether -p was given, checked together (some combinations make no
// sense) and stored in config. Returns an error message, empty when fine.
std::string configure_network(
    const std::string& network, const std::string& static_ip, bool have_port_flags, VmConfig& config)
{
    auto spec = parse_network(network);
    if (!spec.value)
        return spec.error;
    config.network = *spec.value;
    if (!static_ip.empty()) {
        auto ip = parse_static_ip(static_ip);
        if (!ip.value)
            return ip.error;
        if (config.network.mode == NetworkMode::None)
            return "--ip needs a network device, but the network is none (--no-net)";
        config.ip = *ip.value;
    }
    if (have_port_flags && config.network.mode == NetworkMode::Tap)
        return "-p forwards ports of QEMU's user network; with --net " + network
            + " the guest is reached at its own address (--ip), so drop -p";
    if (have_port_flags && config.network.mode == NetworkMode::None)
        return "-p needs a network device, but the network is none (--no-net)";
    if (config.network.mode == NetworkMode::Tap && ::access("/dev/net/tun", R_OK | W_OK) != 0)
        return "--net " + network + " needs /dev/net/tun (" + std::strerror(errno)
            + "): load the tun module, and run as root or create the tap owned by you (ip tuntap add dev "
            + config.network.tap + " mode tap user $USER)";
    return {};
}

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int run_command(const std::vector<std::string>& raw)
{
    VmConfig config;
    std::string target = ".";
    std::string accel_mode = "auto";
    std::string kernel;
    std::string memory;
    std::vector<std::string> port_flags, disk_flags, env;
    std::string network = "user";
    std::string static_ip;
    bool have_target = false;
    bool verbose = false;

    Arguments a("run", raw);
    while (a.next()) {
        if (a.is("-h", "--help")) {
            print_run_help(stdout);
            return 0;
        } else if (a.is("-m", "--memory")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            memory = *v;
        } else if (a.is("-p", "--publish")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            port_flags.push_back(*v);
        } else if (a.is("--disk")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            disk_flags.push_back(*v);
        } else if (a.is("--env", "-e")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            if (std::string error = check_env_entry(*v); !error.empty()) {
                std::fprintf(stderr, "kiln run: --env: %s\n", error.c_str());
                return STATUS_USAGE;
            }
            env.push_back(*v);
        } else if (a.is("--accel")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            if (*v != "auto" && *v != "kvm" && *v != "tcg") {
                std::fprintf(stderr, "kiln run: --accel %s: expected auto, kvm or tcg\n", v->c_str());
                return STATUS_USAGE;
            }
            accel_mode = *v;
        } else if (a.is("-v", "--verbose")) {
            config.quiet = false;
            verbose = true;
        } else if (a.is("--no-kvm")) {
            accel_mode = "tcg";
        } else if (a.is("--no-net")) {
            network = "none";
        } else if (a.is("--net")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            network = *v;
        } else if (a.is("--ip")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            static_ip = *v;
        } else if (a.is("--kernel")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            kernel = *v;
        } else if (a.is("--append")) {
            auto v = a.value();
            if (!v)
                return STATUS_USAGE;
            config.kernel_args += (config.kernel_args.empty() ? "" : " ") + *v;
        } else if (a.is_flag()) {
            return a.unknown();
        } else if (!have_target) {
            target = a.current();
            have_target = true;
        } else {
            std::fprintf(stderr, "kiln run: one app at a time (got %s and %s); app arguments go after --\n",
                target.c_str(), a.current().c_str());
            return STATUS_USAGE;
        }
    }
    const std::vector<std::string>& args = a.rest();

    // Bad flags are reported before anything is built.
    if (!memory.empty())
        if (auto m = parse_memory(memory); !m.value) {
            std::fprintf(stderr, "kiln run: %s\n", m.error.c_str());
            return STATUS_USAGE;
        }
    for (const std::string& port : port_flags)
        if (auto p = parse_port(port); !p.value) {
            std::fprintf(stderr, "kiln run: %s\n", p.error.c_str());
            return STATUS_USAGE;
        }
    for (const std::string& disk : disk_flags)
        if (auto d = parse_disk(disk); !d.value) {
            std::fprintf(stderr, "kiln run: %s\n", d.error.c_str());
            return STATUS_USAGE;
        }
    if (std::string error = configure_network(network, static_ip, !port_flags.empty(), config); !error.empty()) {
        std::fprintf(stderr, "kiln run: %s\n", error.c_str());
        return STATUS_USAGE;
    }

    std::error_code ec;
    Target kind;
    if (fs::is_directory(target, ec)) {
        if (fs::exists(fs::path(target) / "package.json", ec))
            kind = Target::App;
        else if (fs::is_regular_file(fs::path(target) / "root.erofs", ec))
            kind = Target::Artifact;
        else {
            std::fprintf(stderr,
                "kiln run: %s/package.json not found, so %s is not an app folder (nor a built image: no "
                "root.erofs); kiln new makes a starter app\n",
                target.c_str(), target.c_str());
            return STATUS_USAGE;
        }
    } else if (fs::is_regular_file(target, ec)) {
        kind = Target::Image;
    } else {
        std::fprintf(stderr, "kiln run: %s: no such app folder or image\n", target.c_str());
        return STATUS_USAGE;
    }

    if (!kernel.empty())
        config.kernel = kernel;
    else if (kind == Target::Artifact)
        config.kernel = (fs::path(target) / "kernel").string();
    else
        config.kernel = find_kernel();
    if (config.kernel.empty() || !fs::is_regular_file(config.kernel, ec)) {
        std::fprintf(stderr, "kiln run: kernel not found%s%s; build it (scripts/build) or pass --kernel\n",
            config.kernel.empty() ? "" : ": ", config.kernel.c_str());
        return STATUS_USAGE;
    }

    Defaults defaults;
    fs::path image;
    if (kind == Target::App) {
        auto start = std::chrono::steady_clock::now();
        initrd::PackageRead package = initrd::read_package_json(target);
        if (!package.package) {
            std::fprintf(stderr, "kiln run: %s\n", package.error.c_str());
            return STATUS_FAILED;
        }
        std::string runtime = find_runtime();
        ImageRequest request;
        request.app_dir = target;
        request.runtime = runtime;
        request.env = env;
        request.args = args;
        ImageResult result;
        // An up-to-date `kiln build` output serves as is.
        if (env.empty() && args.empty()) {
            ImageRequest built = request;
            built.out_dir = default_artifact_dir(target, *package.package);
            built.artifact = true;
            built.kernel = config.kernel;
            built.check_only = true;
            result = ensure_image(built);
        }
        if (!result.ok) {
            request.out_dir = cache_slot(target, *package.package, env.empty() && args.empty() ? "base" : "variant");
            result = ensure_image(request);
        }
        if (!result.ok) {
            std::fprintf(stderr, "kiln run: %s\n", result.error.c_str());
            return STATUS_FAILED;
        }
        if (verbose)
            std::fprintf(stderr, "kiln: image %s (%s, %.2f s)\n", result.root_image.c_str(),
                result.reused ? "up to date" : "built", seconds_since(start));
        image = result.root_image;
        const initrd::KilnSettings& kiln = result.app->package.kiln;
        defaults = { kiln.memory, kiln.ports, kiln.disks, kiln.append, target };
    } else {
        if (kind == Target::Artifact) {
            if (std::string error = artifact_defaults(target, defaults); !error.empty()) {
                std::fprintf(stderr, "kiln run: %s\n", error.c_str());
                return STATUS_USAGE;
            }
            image = fs::path(target) / "root.erofs";
        } else {
            image = target;
        }
        if (!env.empty() || !args.empty()) {
            VariantResult variant = image_variant(image, variant_cache_root(), env, args);
            if (!variant.error.empty()) {
                std::fprintf(stderr, "kiln run: %s\n", variant.error.c_str());
                return STATUS_FAILED;
            }
            image = variant.image;
        }
    }
    config.initrd = image.string();

    // Flags win over the target's defaults; ports and disks add to them.
    std::string chosen_memory = !memory.empty() ? memory : !defaults.memory.empty() ? defaults.memory : config.memory;
    auto parsed_memory = parse_memory(chosen_memory);
    if (!parsed_memory.value) {
        std::fprintf(stderr, "kiln run: %s%s\n", parsed_memory.error.c_str(),
            memory.empty() ? " (from package.json \"kiln\".memory)" : "");
        return STATUS_USAGE;
    }
    config.memory = *parsed_memory.value;
    if (!defaults.append.empty())
        config.kernel_args = defaults.append + (config.kernel_args.empty() ? "" : " " + config.kernel_args);

    std::set<std::pair<Protocol, uint16_t>> host_ports;
    auto add_port = [&](const std::string& text, const char* where) {
        auto port = parse_port(text);
        if (!port.value) {
            std::fprintf(stderr, "kiln run: %s%s\n", port.error.c_str(), where);
            return false;
        }
        if (!host_ports.insert({ port.value->protocol, port.value->host }).second) {
            std::fprintf(stderr, "kiln run: host port %s is published twice%s\n",
                describe_port(*port.value).c_str(), where);
            return false;
        }
        config.ports.push_back(*port.value);
        return true;
    };
    // Forwards belong to QEMU's user network; with a tap the guest has its own address.
    if (config.network.mode != NetworkMode::User && !defaults.ports.empty())
        std::fprintf(stderr, "kiln: the app's \"kiln\".ports are not published without user networking\n");
    else
        for (const std::string& port : defaults.ports)
            if (!add_port(port, " (from the app's \"kiln\".ports)"))
                return STATUS_USAGE;
    for (const std::string& port : port_flags)
        if (!add_port(port, ""))
            return STATUS_USAGE;

    auto add_disk = [&](const std::string& text, const fs::path& base, const char* where) {
        auto disk = parse_disk(text);
        if (!disk.value) {
            std::fprintf(stderr, "kiln run: %s%s\n", disk.error.c_str(), where);
            return false;
        }
        fs::path file = disk.value->file;
        if (file.is_relative() && !base.empty())
            disk.value->file = (base / file).lexically_normal().string();
        for (const DiskSpec& other : config.disks) {
            std::error_code same_ec;
            if (other.file == disk.value->file || fs::equivalent(other.file, disk.value->file, same_ec)) {
                std::fprintf(stderr, "kiln run: disk %s is attached twice%s\n", disk.value->file.c_str(), where);
                return false;
            }
        }
        if (std::string error = prepare_disk(*disk.value); !error.empty()) {
            std::fprintf(stderr, "kiln run: %s%s\n", error.c_str(), where);
            return false;
        }
        config.disks.push_back(*disk.value);
        return true;
    };
    for (const std::string& disk : defaults.disks)
        if (!add_disk(disk, defaults.disk_base, " (from the app's \"kiln\".disks)"))
            return STATUS_USAGE;
    for (const std::string& disk : disk_flags)
        if (!add_disk(disk, "", ""))
            return STATUS_USAGE;

    AccelChoice choice = detect_accel();
    if (accel_mode == "tcg") {
        choice = { Accel::Tcg, "tcg (requested)" };
    } else if (accel_mode == "kvm") {
        if (choice.accel != Accel::Kvm)
            std::fprintf(stderr, "kiln run: warning: --accel kvm without hardware KVM; auto would pick %s\n",
                choice.reason.c_str());
        choice = { Accel::Kvm, "kvm (requested)" };
    }
    config.accel = choice.accel;
    std::fprintf(stderr, "kiln: accelerator %s\n", choice.reason.c_str());
    if (config.network.mode == NetworkMode::Tap)
        std::fprintf(stderr, "kiln: network tap %s, guest MAC %s\n", config.network.tap.c_str(),
            tap_mac(config.network.tap).c_str());
    if (config.ip)
        std::fprintf(stderr, "kiln: guest address %s (static)\n", config.ip->text.c_str());
    for (const PortForward& port : config.ports) {
        const char* udp = port.protocol == Protocol::Udp ? "/udp" : "";
        std::fprintf(stderr, "kiln: port 127.0.0.1:%u%s -> guest %u%s\n", port.host, udp, port.guest, udp);
    }
    if (!config.ports.empty()) {
        config.qemu_preload = find_qemu_preload();
        if (config.qemu_preload.empty())
            std::fprintf(stderr, "kiln run: warning: libkiln-qemu-listen.so not found: forwarded ports accept only "
                                 "two connections at a time (slirp's listen backlog of 1)\n");
    }
    return run_vm(config);
}

} // namespace kiln::cli

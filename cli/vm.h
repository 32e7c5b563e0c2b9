#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accel.h"
#include "options.h"

namespace kiln::cli {

struct VmConfig {
    std::string kernel;
    std::string initrd; // empty: none
    std::string memory = "512M";
    Accel accel = Accel::Tcg;
    std::string kernel_args; // appended to the kernel command line
    bool quiet = true; // the kernel prints only the app's output, errors and the status
    NetworkSpec network; // one virtio-net: QEMU user networking by default
    std::optional<StaticIp> ip; // the guest's address as kiln.ip=; without it, DHCP
    std::vector<PortForward> ports; // host 127.0.0.1:HOST forwarded to the guest's GUEST (user networking)
    std::vector<DiskSpec> disks; // one virtio-blk each, in order (the guest sees vda, vdb...)
    std::string qemu_preload; // a library QEMU runs with (LD_PRELOAD); empty: none
};

// The QEMU command line for a config: microvm, serial console on stdout, and
// isa-debug-exit so the guest's exit status also reaches QEMU's own exit code.
// User networking becomes `-netdev user,id=n0[,hostfwd=tcp|udp:127.0.0.1:HOST-[IP]:GUEST...]
// -device virtio-net-device,netdev=n0` (only the host's loopback is exposed; IP is the
// static address when there is one, else slirp's DHCP address); a tap becomes `-netdev
// tap,id=n0,ifname=IFNAME,script=no,downscript=no -device
// virtio-net-device,netdev=n0,mac=52:54:00:...` (a MAC derived from IFNAME, so VMs on
// different taps of one bridge differ); disks become `-drive
// file=F,if=none,format=raw,id=dN[,readonly=on] -device virtio-blk-device,drive=dN`.
std::vector<std::string> qemu_command(const VmConfig& config);

// The MAC address the guest gets on tap IFNAME: 52:54:00 (QEMU's range, locally
// administered) and three bytes of a hash of the name. QEMU alone would give every VM
// 52:54:00:12:34:56, and VMs on taps of one bridge must not share an address.
std::string tap_mac(const std::string& tap);

// The guest's exit status from the last console line, `kiln: exit status N`; -1 when the
// line is missing. QEMU's own exit code is no substitute: isa-debug-exit gives
// (2N+1) & 0xff, which loses N >= 128, and QEMU exits 1 on its own errors too.
int guest_exit_status(const std::string& last_console_line);

// Creates a disk's file when it is missing and a size was given (sparse); checks that
// it exists otherwise. Returns an error message that says what to do, empty when fine.
std::string prepare_disk(const DiskSpec& disk);

// Boots the VM, copies its console to stdout as it arrives and returns the guest's exit
// status; 125 with a message on stderr when the VM could not be started or ended
// without reporting one. QEMU runs in its own process group, so Ctrl-C reaches only
// kiln: SIGINT, SIGTERM and SIGHUP shut QEMU down (SIGTERM: QEMU closes its disks and
// exits), a second one kills it, and kiln then exits 128+signal as a shell would for
// an interrupted program (unless the guest had already reported its status). QEMU
// also gets SIGTERM if kiln itself dies.
int run_vm(const VmConfig& config);

} // namespace kiln::cli

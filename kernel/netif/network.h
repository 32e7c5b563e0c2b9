#pragma once

// The kernel's network: the portable stack (net/) tied to the virtio-net devices, the
// clock and the CPU's waits. Kernel only.
//
// Execution context: everything here runs in the kernel's main context — inside a
// system call, at a wait point (time/wait.cpp), or in a device interrupt that arrived
// while the process was in user mode. Never half way through a system call.

#include "lib/cmdline.h"
#include "lib/result.h"
#include "net/stack.h"

namespace kiln {

// Creates the stack (loopback always), adds every virtio-net device and configures it:
// `kiln.ip=ADDR/PREFIX[,GATEWAY[,DNS]]` on the command line, else DHCP (waiting up to a
// few seconds for a lease at boot). Boot, after virtio_probe() and apic_init().
Result<void> network_init(const Cmdline& cmdline);

net::Stack* network_stack();

// Moves received frames into the stack and runs its timers. Cheap when there is nothing
// to do; called at every wait point and after device interrupts from user mode.
void network_service();

// The next time the stack needs network_service() (TCP timers, ARP, DHCP), monotonic ns.
uint64_t network_deadline();

// Keeps the network running, at most `timeout_ns`, until every frame already sent has
// left: none waits for ARP and every NIC has taken what was queued on it. For the
// program's exit: the VM powers off at once, and QEMU's virtio-net hands transmitted
// frames to the host network later, from its main loop, so datagrams or a reply written
// just before exit() were lost (up to all of them). Data the TCP window still holds
// back is not waited for.
void network_flush_transmit(uint64_t timeout_ns);

// /etc/resolv.conf text from the lease or the static configuration.
size_t network_resolv_conf(char* out, size_t capacity);

}  // namespace kiln

#pragma once

#include <string>

namespace kiln::cli {

enum class Accel { Kvm, Tcg };

struct AccelChoice {
    Accel accel;
    std::string reason; // why, for the "kiln: accelerator ..." line
};

// KVM only where it is hardware KVM: /dev/kvm usable and kvm_intel or kvm_amd loaded.
// kvm_pvm (nested virtualization without VMX/SVM) runs a real kernel in KVM's
// instruction emulator, far slower than TCG and incomplete, so it counts as no KVM.
AccelChoice detect_accel();

// The accelerator-specific part of the QEMU command line.
const char* accel_name(Accel accel);

} // namespace kiln::cli

# Portable kernel code: no hardware access, freestanding-clean. Compiled into the kernel
# and, with host flags, into the kiln_portable library the unit tests link against.
# Paths are relative to kernel/.
set(KILN_PORTABLE_SOURCES
  boot/boot_info.cpp
  lib/cmdline.cpp
  lib/errno.cpp
  fs/erofs/erofs.cpp
  fs/erofs/erofs_path.cpp
  exec/initial_stack.cpp
  exec/manifest.cpp
  fs/path.cpp
  lib/format.cpp
  random/chacha20.cpp
  time/civil_time.cpp
  exec/elf.cpp
  exec/elf_dynamic.cpp
  lib/json.cpp
  mm/physical_allocator.cpp
  mm/page_table.cpp
  mm/address_space.cpp
  mm/address_space_resize.cpp
  mm/proc_maps.cpp
  mm/heap.cpp
  mm/kernel_mappings.cpp
  dev/pci/pci.cpp
  dev/virtio/blk.cpp
  dev/virtio/discovery.cpp
  dev/virtio/dma.cpp
  dev/virtio/mmio_transport.cpp
  dev/virtio/net.cpp
  dev/virtio/pci_transport.cpp
  dev/virtio/transport.cpp
  dev/virtio/virtqueue.cpp
)

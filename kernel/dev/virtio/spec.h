#pragma once

// Constants and wire layouts from the virtio specification, OASIS virtio v1.2
// ("Virtual I/O Device (VIRTIO) Version 1.2", cs01). Every value here is checked
// against the spec text in tests/unit/virtio_spec_test.cpp; do not take values from
// other drivers without adding a test (SerenityOS's virtio-net feature bits are wrong).
//
// Virtio 1.x structures are little-endian (1.4 "Structure Specifications"); x86-64 is
// too, so the structs below are read and written directly.
//
// Portable: no hardware access.

#include <stddef.h>
#include <stdint.h>

#include <bit>

namespace kiln::virtio {

static_assert(std::endian::native == std::endian::little, "virtio 1.x rings are little-endian");

// 2.1 Device Status Field.
namespace status {
constexpr uint8_t ACKNOWLEDGE = 1;
constexpr uint8_t DRIVER = 2;
constexpr uint8_t DRIVER_OK = 4;
constexpr uint8_t FEATURES_OK = 8;
constexpr uint8_t DEVICE_NEEDS_RESET = 64;
constexpr uint8_t FAILED = 128;
} // namespace status

// 5 Device Types: the device IDs this kernel knows by name.
enum class DeviceType : uint32_t {
    Invalid = 0,
    Network = 1,
    Block = 2,
    Console = 3,
    Entropy = 4,
};
const char* device_type_name(DeviceType type);

// Feature bits are numbered 0..63 here; `feature(n)` is the mask.
constexpr uint64_t feature(unsigned bit) { return 1ULL << bit; }

// 6 Reserved Feature Bits (device-independent).
namespace feature_bit {
constexpr unsigned INDIRECT_DESC = 28;
constexpr unsigned EVENT_IDX = 29;
constexpr unsigned VERSION_1 = 32;
constexpr unsigned ACCESS_PLATFORM = 33;
constexpr unsigned RING_PACKED = 34;
constexpr unsigned IN_ORDER = 35;
constexpr unsigned ORDER_PLATFORM = 36;
constexpr unsigned SR_IOV = 37;
constexpr unsigned NOTIFICATION_DATA = 38;
constexpr unsigned NOTIF_CONFIG_DATA = 39;
constexpr unsigned RING_RESET = 40;
} // namespace feature_bit

// ---------------------------------------------------------------------------------
// 2.7 Split Virtqueues.

// 2.7.5 The Virtqueue Descriptor Table.
struct VirtqDesc {
    uint64_t addr; // guest-physical
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};
static_assert(sizeof(VirtqDesc) == 16);
static_assert(offsetof(VirtqDesc, len) == 8 && offsetof(VirtqDesc, flags) == 12 && offsetof(VirtqDesc, next) == 14);

constexpr uint16_t VIRTQ_DESC_F_NEXT = 1;
constexpr uint16_t VIRTQ_DESC_F_WRITE = 2;
constexpr uint16_t VIRTQ_DESC_F_INDIRECT = 4;

// 2.7.6 The Virtqueue Available Ring: flags, idx, ring[size], then used_event
// (only with VIRTIO_F_EVENT_IDX).
struct VirtqAvailHeader {
    uint16_t flags;
    uint16_t idx;
};
static_assert(sizeof(VirtqAvailHeader) == 4);
constexpr uint16_t VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

// 2.7.8 The Virtqueue Used Ring: flags, idx, ring[size] of these, then avail_event.
struct VirtqUsedElem {
    uint32_t id; // head of the used descriptor chain
    uint32_t len; // bytes written into the device-writable part
};
static_assert(sizeof(VirtqUsedElem) == 8);
struct VirtqUsedHeader {
    uint16_t flags;
    uint16_t idx;
};
static_assert(sizeof(VirtqUsedHeader) == 4);
constexpr uint16_t VIRTQ_USED_F_NO_NOTIFY = 1;

// 2.7 table "Virtqueue Part Alignment and Size" (split queues, queue size Q).
constexpr size_t DESCRIPTOR_TABLE_ALIGN = 16;
constexpr size_t AVAIL_RING_ALIGN = 2;
constexpr size_t USED_RING_ALIGN = 4;
constexpr size_t descriptor_table_bytes(size_t q) { return 16 * q; }
constexpr size_t avail_ring_bytes(size_t q) { return 6 + 2 * q; }
constexpr size_t used_ring_bytes(size_t q) { return 6 + 8 * q; }
// 2.7: "Queue Size ... MUST be a power of 2"; the maximum is 32768.
constexpr size_t MAX_SPLIT_QUEUE_SIZE = 32768;

// 2.7.10 Available Buffer Notification Suppression: the device wants a notification
// when the new available index passes `event` (same formula as Linux's
// vring_need_event). Also used by the device side for used_event.
constexpr bool need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
    return static_cast<uint16_t>(new_idx - event - 1) < static_cast<uint16_t>(new_idx - old_idx);
}

// ---------------------------------------------------------------------------------
// 4.2 Virtio Over MMIO: 4.2.2 MMIO Device Register Layout (version 2).
namespace mmio {
constexpr uint32_t MAGIC = 0x74726976; // "virt"
constexpr uint32_t VERSION_MODERN = 2;
constexpr uint32_t VERSION_LEGACY = 1; // 4.2.4 Legacy interface

constexpr size_t MAGIC_VALUE = 0x000;
constexpr size_t VERSION = 0x004;
constexpr size_t DEVICE_ID = 0x008;
constexpr size_t VENDOR_ID = 0x00c;
constexpr size_t DEVICE_FEATURES = 0x010;
constexpr size_t DEVICE_FEATURES_SEL = 0x014;
constexpr size_t DRIVER_FEATURES = 0x020;
constexpr size_t DRIVER_FEATURES_SEL = 0x024;
constexpr size_t QUEUE_SEL = 0x030;
constexpr size_t QUEUE_NUM_MAX = 0x034;
constexpr size_t QUEUE_NUM = 0x038;
constexpr size_t QUEUE_READY = 0x044;
constexpr size_t QUEUE_NOTIFY = 0x050;
constexpr size_t INTERRUPT_STATUS = 0x060;
constexpr size_t INTERRUPT_ACK = 0x064;
constexpr size_t STATUS = 0x070;
constexpr size_t QUEUE_DESC_LOW = 0x080;
constexpr size_t QUEUE_DESC_HIGH = 0x084;
constexpr size_t QUEUE_DRIVER_LOW = 0x090;
constexpr size_t QUEUE_DRIVER_HIGH = 0x094;
constexpr size_t QUEUE_DEVICE_LOW = 0x0a0;
constexpr size_t QUEUE_DEVICE_HIGH = 0x0a4;
constexpr size_t CONFIG_GENERATION = 0x0fc;
constexpr size_t CONFIG = 0x100;

// InterruptStatus bits.
constexpr uint32_t INTERRUPT_USED_BUFFER = 1;
constexpr uint32_t INTERRUPT_CONFIG_CHANGE = 2;

// QEMU and Firecracker give each transport a 512-byte window (0x200).
constexpr size_t WINDOW_SIZE = 0x200;
} // namespace mmio

// ---------------------------------------------------------------------------------
// 4.1 Virtio Over PCI Bus.
namespace virtio_pci {
constexpr uint16_t VENDOR_ID = 0x1af4;
// 4.1.2 PCI Device Discovery: modern devices are 0x1040 + device type; transitional
// devices use 0x1000..0x103f and carry the device type in the subsystem device ID.
constexpr uint16_t DEVICE_ID_MODERN_BASE = 0x1040;
constexpr uint16_t DEVICE_ID_TRANSITIONAL_FIRST = 0x1000;
constexpr uint16_t DEVICE_ID_TRANSITIONAL_LAST = 0x103f;
constexpr uint16_t DEVICE_ID_LAST = 0x107f;

// 4.1.4 Virtio Structure PCI Capabilities: a vendor-specific capability (ID 0x09).
constexpr uint8_t CAP_COMMON_CFG = 1;
constexpr uint8_t CAP_NOTIFY_CFG = 2;
constexpr uint8_t CAP_ISR_CFG = 3;
constexpr uint8_t CAP_DEVICE_CFG = 4;
constexpr uint8_t CAP_PCI_CFG = 5;
constexpr uint8_t CAP_SHARED_MEMORY_CFG = 8;
constexpr uint8_t CAP_VENDOR_CFG = 9;

struct Cap {
    uint8_t cap_vndr; // 0x09
    uint8_t cap_next;
    uint8_t cap_len;
    uint8_t cfg_type;
    uint8_t bar;
    uint8_t id;
    uint8_t padding[2];
    uint32_t offset; // within the BAR
    uint32_t length;
};
static_assert(sizeof(Cap) == 16);
static_assert(offsetof(Cap, offset) == 8 && offsetof(Cap, length) == 12);

// 4.1.4.4 Notification structure layout: the capability is followed by the multiplier.
struct NotifyCap {
    Cap cap;
    uint32_t notify_off_multiplier;
};
static_assert(sizeof(NotifyCap) == 20);

// 4.1.4.3 Common configuration structure layout.
struct CommonCfg {
    uint32_t device_feature_select;
    uint32_t device_feature;
    uint32_t driver_feature_select;
    uint32_t driver_feature;
    uint16_t config_msix_vector;
    uint16_t num_queues;
    uint8_t device_status;
    uint8_t config_generation;
    uint16_t queue_select;
    uint16_t queue_size;
    uint16_t queue_msix_vector;
    uint16_t queue_enable;
    uint16_t queue_notify_off;
    uint64_t queue_desc;
    uint64_t queue_driver;
    uint64_t queue_device;
    uint16_t queue_notif_config_data;
    uint16_t queue_reset;
};
static_assert(offsetof(CommonCfg, device_feature) == 4);
static_assert(offsetof(CommonCfg, driver_feature_select) == 8);
static_assert(offsetof(CommonCfg, driver_feature) == 12);
static_assert(offsetof(CommonCfg, config_msix_vector) == 16);
static_assert(offsetof(CommonCfg, num_queues) == 18);
static_assert(offsetof(CommonCfg, device_status) == 20);
static_assert(offsetof(CommonCfg, config_generation) == 21);
static_assert(offsetof(CommonCfg, queue_select) == 22);
static_assert(offsetof(CommonCfg, queue_size) == 24);
static_assert(offsetof(CommonCfg, queue_msix_vector) == 26);
static_assert(offsetof(CommonCfg, queue_enable) == 28);
static_assert(offsetof(CommonCfg, queue_notify_off) == 30);
static_assert(offsetof(CommonCfg, queue_desc) == 32);
static_assert(offsetof(CommonCfg, queue_driver) == 40);
static_assert(offsetof(CommonCfg, queue_device) == 48);
static_assert(offsetof(CommonCfg, queue_notif_config_data) == 56);
static_assert(sizeof(CommonCfg) == 64); // 60 bytes of fields, padded to 8
// The virtio 1.0 fields end at queue_device; a device may expose no more than that.
constexpr size_t COMMON_CFG_MIN_LENGTH = 56;

// 4.1.4.5 ISR status capability.
constexpr uint8_t ISR_QUEUE = 1;
constexpr uint8_t ISR_CONFIG = 2;

constexpr uint16_t NO_VECTOR = 0xffff; // 4.1.5.1.2 MSI-X Vector Configuration
} // namespace virtio_pci

// ---------------------------------------------------------------------------------
// 5.1 Network Device.
namespace net {
constexpr uint16_t RECEIVEQ = 0; // 5.1.2 Virtqueues: receiveq1
constexpr uint16_t TRANSMITQ = 1; // transmitq1

// 5.1.3 Feature bits.
namespace feature_bit {
constexpr unsigned CSUM = 0;
constexpr unsigned GUEST_CSUM = 1;
constexpr unsigned CTRL_GUEST_OFFLOADS = 2;
constexpr unsigned MTU = 3;
constexpr unsigned MAC = 5;
constexpr unsigned GUEST_TSO4 = 7;
constexpr unsigned GUEST_TSO6 = 8;
constexpr unsigned GUEST_ECN = 9;
constexpr unsigned GUEST_UFO = 10;
constexpr unsigned HOST_TSO4 = 11;
constexpr unsigned HOST_TSO6 = 12;
constexpr unsigned HOST_ECN = 13;
constexpr unsigned HOST_UFO = 14;
constexpr unsigned MRG_RXBUF = 15;
constexpr unsigned STATUS = 16;
constexpr unsigned CTRL_VQ = 17;
constexpr unsigned CTRL_RX = 18;
constexpr unsigned CTRL_VLAN = 19;
constexpr unsigned GUEST_ANNOUNCE = 21;
constexpr unsigned MQ = 22;
constexpr unsigned CTRL_MAC_ADDR = 23;
constexpr unsigned HASH_REPORT = 57;
constexpr unsigned RSS = 60;
constexpr unsigned RSC_EXT = 61;
constexpr unsigned STANDBY = 62;
constexpr unsigned SPEED_DUPLEX = 63;
} // namespace feature_bit

// 5.1.4 Device configuration layout.
struct Config {
    uint8_t mac[6];
    uint16_t status;
    uint16_t max_virtqueue_pairs;
    uint16_t mtu;
    uint32_t speed;
    uint8_t duplex;
    uint8_t rss_max_key_size;
    uint16_t rss_max_indirection_table_length;
    uint32_t supported_hash_types;
};
static_assert(offsetof(Config, status) == 6);
static_assert(offsetof(Config, max_virtqueue_pairs) == 8);
static_assert(offsetof(Config, mtu) == 10);
static_assert(offsetof(Config, speed) == 12);
static_assert(offsetof(Config, duplex) == 16);
static_assert(offsetof(Config, supported_hash_types) == 20);
static_assert(sizeof(Config) == 24);

constexpr uint16_t S_LINK_UP = 1;
constexpr uint16_t S_ANNOUNCE = 2;

// 5.1.6 Device Operation: the header in front of every packet. With VIRTIO_F_VERSION_1
// num_buffers is always present (5.1.6.1), so the header is 12 bytes.
struct Header {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
    uint16_t num_buffers;
};
static_assert(sizeof(Header) == 12);
static_assert(offsetof(Header, num_buffers) == 10);

constexpr uint8_t HDR_F_NEEDS_CSUM = 1;
constexpr uint8_t HDR_F_DATA_VALID = 2;
constexpr uint8_t HDR_F_RSC_INFO = 4;
constexpr uint8_t HDR_GSO_NONE = 0;
constexpr uint8_t HDR_GSO_TCPV4 = 1;
constexpr uint8_t HDR_GSO_UDP = 3;
constexpr uint8_t HDR_GSO_TCPV6 = 4;
constexpr uint8_t HDR_GSO_ECN = 0x80;

// 5.1.6.3.1: without MRG_RXBUF and guest offloads, receive buffers SHOULD hold at
// least 1526 bytes (a 1514-byte frame plus the header).
constexpr size_t MIN_RX_BUFFER = 1526;
} // namespace net

// ---------------------------------------------------------------------------------
// 5.2 Block Device.
namespace blk {
constexpr uint16_t REQUESTQ = 0; // 5.2.2 Virtqueues: requestq1

// 5.2.3 Feature bits.
namespace feature_bit {
constexpr unsigned SIZE_MAX_ = 1; // trailing _ : SIZE_MAX is a <stdint.h> macro
constexpr unsigned SEG_MAX = 2;
constexpr unsigned GEOMETRY = 4;
constexpr unsigned RO = 5;
constexpr unsigned BLK_SIZE = 6;
constexpr unsigned FLUSH = 9;
constexpr unsigned TOPOLOGY = 10;
constexpr unsigned CONFIG_WCE = 11;
constexpr unsigned MQ = 12;
constexpr unsigned DISCARD = 13;
constexpr unsigned WRITE_ZEROES = 14;
constexpr unsigned LIFETIME = 15;
constexpr unsigned SECURE_ERASE = 16;
} // namespace feature_bit

// 5.2.4 Device configuration layout (up to the secure-erase fields).
struct Config {
    uint64_t capacity; // in 512-byte sectors, whatever blk_size says
    uint32_t size_max;
    uint32_t seg_max;
    struct {
        uint16_t cylinders;
        uint8_t heads;
        uint8_t sectors;
    } geometry;
    uint32_t blk_size;
    struct {
        uint8_t physical_block_exp;
        uint8_t alignment_offset;
        uint16_t min_io_size;
        uint32_t opt_io_size;
    } topology;
    uint8_t writeback;
    uint8_t unused0;
    uint16_t num_queues;
    uint32_t max_discard_sectors;
    uint32_t max_discard_seg;
    uint32_t discard_sector_alignment;
    uint32_t max_write_zeroes_sectors;
    uint32_t max_write_zeroes_seg;
    uint8_t write_zeroes_may_unmap;
    uint8_t unused1[3];
    uint32_t max_secure_erase_sectors;
    uint32_t max_secure_erase_seg;
    uint32_t secure_erase_sector_alignment;
};
static_assert(offsetof(Config, size_max) == 8);
static_assert(offsetof(Config, seg_max) == 12);
static_assert(offsetof(Config, geometry) == 16);
static_assert(offsetof(Config, blk_size) == 20);
static_assert(offsetof(Config, topology) == 24);
static_assert(offsetof(Config, writeback) == 32);
static_assert(offsetof(Config, num_queues) == 34);
static_assert(offsetof(Config, max_discard_sectors) == 36);
static_assert(offsetof(Config, max_write_zeroes_sectors) == 48);
static_assert(offsetof(Config, write_zeroes_may_unmap) == 56);
static_assert(offsetof(Config, max_secure_erase_sectors) == 60);
static_assert(sizeof(Config) == 72);

// 5.2.6 Device Operation: struct virtio_blk_req is this header, the data, and a
// one-byte status written by the device.
struct RequestHeader {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};
static_assert(sizeof(RequestHeader) == 16);

constexpr uint32_t T_IN = 0;
constexpr uint32_t T_OUT = 1;
constexpr uint32_t T_FLUSH = 4;
constexpr uint32_t T_GET_ID = 8;
constexpr uint32_t T_GET_LIFETIME = 10;
constexpr uint32_t T_DISCARD = 11;
constexpr uint32_t T_WRITE_ZEROES = 13;
constexpr uint32_t T_SECURE_ERASE = 14;

constexpr uint8_t S_OK = 0;
constexpr uint8_t S_IOERR = 1;
constexpr uint8_t S_UNSUPP = 2;

constexpr uint64_t SECTOR_SIZE = 512; // 5.2.6: `sector` counts 512-byte units
} // namespace blk

} // namespace kiln::virtio

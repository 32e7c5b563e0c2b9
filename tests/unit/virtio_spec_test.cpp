// Spec constants, checked one by one against the text of OASIS virtio v1.2 (section
// numbers in each test). Values are written out here as literals on purpose: a typo in
// spec.h has to be repeated in this file to slip through.

#include <gtest/gtest.h>

#include "dev/virtio/spec.h"

using namespace kiln::virtio;

TEST(VirtioSpec, DeviceStatusBits_2_1)
{
    EXPECT_EQ(status::ACKNOWLEDGE, 1);
    EXPECT_EQ(status::DRIVER, 2);
    EXPECT_EQ(status::DRIVER_OK, 4);
    EXPECT_EQ(status::FEATURES_OK, 8);
    EXPECT_EQ(status::DEVICE_NEEDS_RESET, 64);
    EXPECT_EQ(status::FAILED, 128);
}

TEST(VirtioSpec, DeviceIds_5)
{
    EXPECT_EQ(static_cast<uint32_t>(DeviceType::Network), 1u);
    EXPECT_EQ(static_cast<uint32_t>(DeviceType::Block), 2u);
    EXPECT_EQ(static_cast<uint32_t>(DeviceType::Console), 3u);
    EXPECT_EQ(static_cast<uint32_t>(DeviceType::Entropy), 4u);
    EXPECT_STREQ(device_type_name(DeviceType::Network), "virtio-net");
    EXPECT_STREQ(device_type_name(DeviceType::Block), "virtio-blk");
    EXPECT_STREQ(device_type_name(static_cast<DeviceType>(42)), "virtio");
}

TEST(VirtioSpec, ReservedFeatureBits_6)
{
    EXPECT_EQ(feature_bit::INDIRECT_DESC, 28u);
    EXPECT_EQ(feature_bit::EVENT_IDX, 29u);
    EXPECT_EQ(feature_bit::VERSION_1, 32u);
    EXPECT_EQ(feature_bit::ACCESS_PLATFORM, 33u);
    EXPECT_EQ(feature_bit::RING_PACKED, 34u);
    EXPECT_EQ(feature_bit::IN_ORDER, 35u);
    EXPECT_EQ(feature_bit::ORDER_PLATFORM, 36u);
    EXPECT_EQ(feature_bit::SR_IOV, 37u);
    EXPECT_EQ(feature_bit::NOTIFICATION_DATA, 38u);
    EXPECT_EQ(feature_bit::NOTIF_CONFIG_DATA, 39u);
    EXPECT_EQ(feature_bit::RING_RESET, 40u);
    EXPECT_EQ(feature(feature_bit::VERSION_1), 0x100000000ULL);
}

// 5.1.3. SerenityOS's table has several of these wrong; every bit is pinned here.
TEST(VirtioSpec, NetFeatureBits_5_1_3)
{
    namespace b = net::feature_bit;
    EXPECT_EQ(b::CSUM, 0u);
    EXPECT_EQ(b::GUEST_CSUM, 1u);
    EXPECT_EQ(b::CTRL_GUEST_OFFLOADS, 2u);
    EXPECT_EQ(b::MTU, 3u);
    EXPECT_EQ(b::MAC, 5u);
    EXPECT_EQ(b::GUEST_TSO4, 7u);
    EXPECT_EQ(b::GUEST_TSO6, 8u);
    EXPECT_EQ(b::GUEST_ECN, 9u);
    EXPECT_EQ(b::GUEST_UFO, 10u);
    EXPECT_EQ(b::HOST_TSO4, 11u);
    EXPECT_EQ(b::HOST_TSO6, 12u);
    EXPECT_EQ(b::HOST_ECN, 13u);
    EXPECT_EQ(b::HOST_UFO, 14u);
    EXPECT_EQ(b::MRG_RXBUF, 15u);
    EXPECT_EQ(b::STATUS, 16u);
    EXPECT_EQ(b::CTRL_VQ, 17u);
    EXPECT_EQ(b::CTRL_RX, 18u);
    EXPECT_EQ(b::CTRL_VLAN, 19u);
    EXPECT_EQ(b::GUEST_ANNOUNCE, 21u);
    EXPECT_EQ(b::MQ, 22u);
    EXPECT_EQ(b::CTRL_MAC_ADDR, 23u);
    EXPECT_EQ(b::HASH_REPORT, 57u);
    EXPECT_EQ(b::RSS, 60u);
    EXPECT_EQ(b::RSC_EXT, 61u);
    EXPECT_EQ(b::STANDBY, 62u);
    EXPECT_EQ(b::SPEED_DUPLEX, 63u);
    EXPECT_EQ(feature(b::MAC), 0x20u);
    EXPECT_EQ(feature(b::STATUS), 0x10000u);
}

TEST(VirtioSpec, NetConfigAndHeader_5_1_4_and_5_1_6)
{
    EXPECT_EQ(offsetof(net::Config, mac), 0u);
    EXPECT_EQ(offsetof(net::Config, status), 6u);
    EXPECT_EQ(offsetof(net::Config, max_virtqueue_pairs), 8u);
    EXPECT_EQ(offsetof(net::Config, mtu), 10u);
    EXPECT_EQ(net::S_LINK_UP, 1);
    EXPECT_EQ(net::S_ANNOUNCE, 2);
    // With VIRTIO_F_VERSION_1 the header always has num_buffers: 12 bytes.
    EXPECT_EQ(sizeof(net::Header), 12u);
    EXPECT_EQ(net::HDR_F_NEEDS_CSUM, 1);
    EXPECT_EQ(net::HDR_F_DATA_VALID, 2);
    EXPECT_EQ(net::HDR_F_RSC_INFO, 4);
    EXPECT_EQ(net::HDR_GSO_NONE, 0);
    EXPECT_EQ(net::HDR_GSO_TCPV4, 1);
    EXPECT_EQ(net::HDR_GSO_UDP, 3);
    EXPECT_EQ(net::HDR_GSO_TCPV6, 4);
    EXPECT_EQ(net::HDR_GSO_ECN, 0x80);
    EXPECT_EQ(net::MIN_RX_BUFFER, 1526u);
    EXPECT_EQ(net::RECEIVEQ, 0);
    EXPECT_EQ(net::TRANSMITQ, 1);
}

TEST(VirtioSpec, BlockFeatureBitsAndRequests_5_2)
{
    namespace b = blk::feature_bit;
    EXPECT_EQ(b::SIZE_MAX_, 1u);
    EXPECT_EQ(b::SEG_MAX, 2u);
    EXPECT_EQ(b::GEOMETRY, 4u);
    EXPECT_EQ(b::RO, 5u);
    EXPECT_EQ(b::BLK_SIZE, 6u);
    EXPECT_EQ(b::FLUSH, 9u);
    EXPECT_EQ(b::TOPOLOGY, 10u);
    EXPECT_EQ(b::CONFIG_WCE, 11u);
    EXPECT_EQ(b::MQ, 12u);
    EXPECT_EQ(b::DISCARD, 13u);
    EXPECT_EQ(b::WRITE_ZEROES, 14u);
    EXPECT_EQ(b::LIFETIME, 15u);
    EXPECT_EQ(b::SECURE_ERASE, 16u);

    EXPECT_EQ(blk::T_IN, 0u);
    EXPECT_EQ(blk::T_OUT, 1u);
    EXPECT_EQ(blk::T_FLUSH, 4u);
    EXPECT_EQ(blk::T_GET_ID, 8u);
    EXPECT_EQ(blk::T_GET_LIFETIME, 10u);
    EXPECT_EQ(blk::T_DISCARD, 11u);
    EXPECT_EQ(blk::T_WRITE_ZEROES, 13u);
    EXPECT_EQ(blk::T_SECURE_ERASE, 14u);
    EXPECT_EQ(blk::S_OK, 0);
    EXPECT_EQ(blk::S_IOERR, 1);
    EXPECT_EQ(blk::S_UNSUPP, 2);
    EXPECT_EQ(sizeof(blk::RequestHeader), 16u);
    EXPECT_EQ(offsetof(blk::RequestHeader, sector), 8u);
    EXPECT_EQ(offsetof(blk::Config, capacity), 0u);
    EXPECT_EQ(offsetof(blk::Config, blk_size), 20u);
    EXPECT_EQ(offsetof(blk::Config, writeback), 32u);
    EXPECT_EQ(offsetof(blk::Config, num_queues), 34u);
}

TEST(VirtioSpec, SplitRingLayout_2_7)
{
    EXPECT_EQ(sizeof(VirtqDesc), 16u);
    EXPECT_EQ(sizeof(VirtqUsedElem), 8u);
    EXPECT_EQ(VIRTQ_DESC_F_NEXT, 1);
    EXPECT_EQ(VIRTQ_DESC_F_WRITE, 2);
    EXPECT_EQ(VIRTQ_DESC_F_INDIRECT, 4);
    EXPECT_EQ(VIRTQ_AVAIL_F_NO_INTERRUPT, 1);
    EXPECT_EQ(VIRTQ_USED_F_NO_NOTIFY, 1);
    // The table in 2.7: alignment 16 / 2 / 4, sizes 16Q / 6+2Q / 6+8Q.
    EXPECT_EQ(DESCRIPTOR_TABLE_ALIGN, 16u);
    EXPECT_EQ(AVAIL_RING_ALIGN, 2u);
    EXPECT_EQ(USED_RING_ALIGN, 4u);
    EXPECT_EQ(descriptor_table_bytes(256), 4096u);
    EXPECT_EQ(avail_ring_bytes(256), 518u);
    EXPECT_EQ(used_ring_bytes(256), 2054u);
    EXPECT_EQ(MAX_SPLIT_QUEUE_SIZE, 32768u);
}

// 2.7.10: vring_need_event(event, new, old) is true when event is in [old, new).
TEST(VirtioSpec, NeedEventFormula_2_7_10)
{
    EXPECT_TRUE(need_event(0, 1, 0));
    EXPECT_FALSE(need_event(1, 1, 0));
    EXPECT_TRUE(need_event(4, 5, 2));
    EXPECT_TRUE(need_event(2, 5, 2));
    EXPECT_FALSE(need_event(5, 5, 2));
    EXPECT_FALSE(need_event(1, 5, 2));
    // Wrap-around of the 16-bit indices.
    EXPECT_TRUE(need_event(0xffff, 2, 0xfffe));
    EXPECT_TRUE(need_event(1, 2, 0xfffe));
    EXPECT_FALSE(need_event(2, 2, 0xfffe));
}

TEST(VirtioSpec, MmioRegisterLayout_4_2_2)
{
    EXPECT_EQ(mmio::MAGIC, 0x74726976u);
    EXPECT_EQ(mmio::MAGIC_VALUE, 0x000u);
    EXPECT_EQ(mmio::VERSION, 0x004u);
    EXPECT_EQ(mmio::DEVICE_ID, 0x008u);
    EXPECT_EQ(mmio::VENDOR_ID, 0x00cu);
    EXPECT_EQ(mmio::DEVICE_FEATURES, 0x010u);
    EXPECT_EQ(mmio::DEVICE_FEATURES_SEL, 0x014u);
    EXPECT_EQ(mmio::DRIVER_FEATURES, 0x020u);
    EXPECT_EQ(mmio::DRIVER_FEATURES_SEL, 0x024u);
    EXPECT_EQ(mmio::QUEUE_SEL, 0x030u);
    EXPECT_EQ(mmio::QUEUE_NUM_MAX, 0x034u);
    EXPECT_EQ(mmio::QUEUE_NUM, 0x038u);
    EXPECT_EQ(mmio::QUEUE_READY, 0x044u);
    EXPECT_EQ(mmio::QUEUE_NOTIFY, 0x050u);
    EXPECT_EQ(mmio::INTERRUPT_STATUS, 0x060u);
    EXPECT_EQ(mmio::INTERRUPT_ACK, 0x064u);
    EXPECT_EQ(mmio::STATUS, 0x070u);
    EXPECT_EQ(mmio::QUEUE_DESC_LOW, 0x080u);
    EXPECT_EQ(mmio::QUEUE_DESC_HIGH, 0x084u);
    EXPECT_EQ(mmio::QUEUE_DRIVER_LOW, 0x090u);
    EXPECT_EQ(mmio::QUEUE_DRIVER_HIGH, 0x094u);
    EXPECT_EQ(mmio::QUEUE_DEVICE_LOW, 0x0a0u);
    EXPECT_EQ(mmio::QUEUE_DEVICE_HIGH, 0x0a4u);
    EXPECT_EQ(mmio::CONFIG_GENERATION, 0x0fcu);
    EXPECT_EQ(mmio::CONFIG, 0x100u);
    EXPECT_EQ(mmio::INTERRUPT_USED_BUFFER, 1u);
    EXPECT_EQ(mmio::INTERRUPT_CONFIG_CHANGE, 2u);
}

TEST(VirtioSpec, PciCapabilitiesAndCommonConfig_4_1_4)
{
    EXPECT_EQ(virtio_pci::VENDOR_ID, 0x1af4);
    EXPECT_EQ(virtio_pci::DEVICE_ID_MODERN_BASE, 0x1040);
    EXPECT_EQ(virtio_pci::DEVICE_ID_TRANSITIONAL_FIRST, 0x1000);
    EXPECT_EQ(virtio_pci::DEVICE_ID_TRANSITIONAL_LAST, 0x103f);
    EXPECT_EQ(virtio_pci::CAP_COMMON_CFG, 1);
    EXPECT_EQ(virtio_pci::CAP_NOTIFY_CFG, 2);
    EXPECT_EQ(virtio_pci::CAP_ISR_CFG, 3);
    EXPECT_EQ(virtio_pci::CAP_DEVICE_CFG, 4);
    EXPECT_EQ(virtio_pci::CAP_PCI_CFG, 5);
    EXPECT_EQ(virtio_pci::CAP_SHARED_MEMORY_CFG, 8);
    EXPECT_EQ(virtio_pci::CAP_VENDOR_CFG, 9);
    EXPECT_EQ(sizeof(virtio_pci::Cap), 16u);
    EXPECT_EQ(offsetof(virtio_pci::NotifyCap, notify_off_multiplier), 16u);
    EXPECT_EQ(offsetof(virtio_pci::CommonCfg, device_status), 20u);
    EXPECT_EQ(offsetof(virtio_pci::CommonCfg, queue_select), 22u);
    EXPECT_EQ(offsetof(virtio_pci::CommonCfg, queue_desc), 32u);
    EXPECT_EQ(offsetof(virtio_pci::CommonCfg, queue_device), 48u);
    EXPECT_EQ(virtio_pci::ISR_QUEUE, 1);
    EXPECT_EQ(virtio_pci::ISR_CONFIG, 2);
    EXPECT_EQ(virtio_pci::NO_VECTOR, 0xffff);
}

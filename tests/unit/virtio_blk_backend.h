#pragma once

// The device side of a virtio-blk for host tests, over FakeDevice: a RAM disk whose
// requests the test takes from the queue and completes when and how it likes.

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "dev/virtio/spec.h"
#include "virtio_fake_device.h"

namespace kiln::virtio::testing {

// The feature bits the virtio-blk tests offer, by name.
inline constexpr uint64_t BLK_V1 = feature(feature_bit::VERSION_1);
inline constexpr uint64_t BLK_RO = feature(blk::feature_bit::RO);
inline constexpr uint64_t BLK_SIZE = feature(blk::feature_bit::BLK_SIZE);
inline constexpr uint64_t BLK_FLUSH = feature(blk::feature_bit::FLUSH);
inline constexpr uint64_t BLK_SEG_MAX = feature(blk::feature_bit::SEG_MAX);
inline constexpr uint64_t BLK_SIZE_MAX = feature(blk::feature_bit::SIZE_MAX_);
inline constexpr uint64_t BLK_EVENT_IDX = feature(feature_bit::EVENT_IDX);

// The device side of a virtio-blk: a RAM disk that executes requests (5.2.6).
class BlkBackend {
public:
    BlkBackend(FakeDevice& device, uint64_t sectors)
        : disk(sectors * 512)
        , m_device(device)
    {
        for (size_t i = 0; i < disk.size(); ++i)
            disk[i] = static_cast<uint8_t>(i * 7 + i / 512);
    }

    struct Taken {
        FakeChain chain;
        blk::RequestHeader header;
    };
    // Takes every available request without completing it.
    std::vector<Taken> take()
    {
        std::vector<Taken> out;
        while (auto chain = m_device.pop_available(blk::REQUESTQ)) {
            EXPECT_FALSE(chain->readable.empty());
            EXPECT_FALSE(chain->writable.empty());
            EXPECT_EQ(chain->readable[0].length, sizeof(blk::RequestHeader));
            EXPECT_EQ(chain->writable.back().length, 1u) << "status byte last";
            Taken t { *chain, {} };
            auto h = m_device.read(chain->readable[0].physical, sizeof(blk::RequestHeader));
            std::memcpy(&t.header, h.data(), sizeof(t.header));
            out.push_back(t);
        }
        return out;
    }
    // Executes a request and completes it with `status` (or the natural one).
    void complete(const Taken& t, int forced_status = -1)
    {
        const FakeChain& c = t.chain;
        uint8_t status = blk::S_OK;
        uint32_t written = 1;
        uint64_t offset = t.header.sector * 512;
        if (t.header.type == blk::T_IN) {
            for (size_t i = 0; i + 1 < c.writable.size(); ++i) {
                m_device.write(c.writable[i].physical, disk.data() + offset, c.writable[i].length);
                offset += c.writable[i].length;
                written += c.writable[i].length;
            }
        } else if (t.header.type == blk::T_OUT) {
            for (size_t i = 1; i < c.readable.size(); ++i) {
                auto data = m_device.read(c.readable[i].physical, c.readable[i].length);
                std::memcpy(disk.data() + offset, data.data(), data.size());
                offset += data.size();
            }
        } else if (t.header.type == blk::T_FLUSH) {
            ++flushes;
        } else {
            status = blk::S_UNSUPP;
        }
        if (forced_status >= 0)
            status = static_cast<uint8_t>(forced_status);
        if (forced_status != 0x100) // 0x100: complete without writing a status
            m_device.write(c.writable.back().physical, &status, 1);
        m_device.push_used(blk::REQUESTQ, c.head, written);
    }
    void run()
    {
        for (auto& t : take())
            complete(t);
    }

    std::vector<uint8_t> disk;
    int flushes = 0;

private:
    FakeDevice& m_device;
};

} // namespace kiln::virtio::testing

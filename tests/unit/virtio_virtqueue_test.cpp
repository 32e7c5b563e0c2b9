#include <gtest/gtest.h>

#include <cstring>

#include "dev/virtio/virtqueue.h"
#include "virtio_fake_device.h"

using namespace kiln;
using namespace kiln::virtio;
using namespace kiln::virtio::testing;

namespace {

// A queue driven directly (no transport): the fake device is pointed at its rings.
class VirtioQueueTest : public ::testing::Test {
protected:
    void make_queue(uint16_t size, bool event_idx = false)
    {
        ASSERT_FALSE(queue.initialize(0, size, ram.memory(), event_idx).is_error());
        auto& q = device.queues[0];
        q.size = size;
        q.desc = queue.descriptor_area();
        q.driver = queue.driver_area();
        q.device = queue.device_area();
        q.ready = true;
        if (event_idx)
            device.driver_features = feature(feature_bit::EVENT_IDX);
    }
    void TearDown() override
    {
        queue.release(ram.memory());
        EXPECT_EQ(ram.pages_in_use(), 0u);
        EXPECT_FALSE(device.failed);
    }

    FakeRam ram;
    FakeDevice device { ram, DeviceType::Network, 0, 0, 1 };
    Virtqueue queue;
};

Segment seg(uint64_t physical, uint32_t length) { return Segment { physical, length }; }

} // namespace

TEST_F(VirtioQueueTest, RejectsSizesThatAreNotPowersOfTwoOrTooLarge)
{
    EXPECT_EQ(queue.initialize(0, 0, ram.memory(), false).error(), Errno::INVAL);
    EXPECT_EQ(queue.initialize(0, 3, ram.memory(), false).error(), Errno::INVAL);
    EXPECT_EQ(queue.initialize(0, 512, ram.memory(), false).error(), Errno::INVAL);
    EXPECT_EQ(ram.pages_in_use(), 0u);
}

TEST_F(VirtioQueueTest, FailsCleanlyWithoutMemory)
{
    ram.fail_after(0);
    EXPECT_EQ(queue.initialize(0, 8, ram.memory(), false).error(), Errno::NOMEM);
}

TEST_F(VirtioQueueTest, RingPartsAreAlignedAndZeroed)
{
    make_queue(256);
    EXPECT_EQ(queue.descriptor_area() % 16, 0u);
    EXPECT_EQ(queue.driver_area() % 2, 0u);
    EXPECT_EQ(queue.device_area() % 4, 0u);
    EXPECT_GE(queue.driver_area(), queue.descriptor_area() + 16 * 256);
    EXPECT_GE(queue.device_area(), queue.driver_area() + 6 + 2 * 256);
    // The fake RAM starts as 0xa5 garbage; the rings must have been cleared.
    EXPECT_EQ(device.available_count(0), 0u);
    EXPECT_EQ(device.avail_flags(0), 0);
    EXPECT_EQ(queue.free_descriptors(), 256);
}

TEST_F(VirtioQueueTest, PublishedChainReachesTheDeviceWithReadableSegmentsFirst)
{
    make_queue(8);
    Segment out[] = { seg(0x200000, 16), seg(0x201000, 512) };
    Segment in[] = { seg(0x202000, 1) };
    auto head = queue.add(out, in, 77);
    ASSERT_FALSE(head.is_error());
    EXPECT_EQ(device.available_count(0), 0u) << "not visible before publish()";
    EXPECT_TRUE(queue.publish());
    EXPECT_EQ(queue.free_descriptors(), 5);

    auto chain = device.pop_available(0);
    ASSERT_TRUE(chain);
    EXPECT_EQ(chain->head, head.value());
    ASSERT_EQ(chain->readable.size(), 2u);
    ASSERT_EQ(chain->writable.size(), 1u);
    EXPECT_EQ(chain->readable[0].physical, 0x200000u);
    EXPECT_EQ(chain->readable[1].length, 512u);
    EXPECT_EQ(chain->writable[0].physical, 0x202000u);

    EXPECT_FALSE(queue.pop_used());
    device.push_used(0, chain->head, 1);
    auto used = queue.pop_used();
    ASSERT_TRUE(used);
    EXPECT_EQ(used->token, 77u);
    EXPECT_EQ(used->length, 1u);
    EXPECT_EQ(queue.free_descriptors(), 8);
    EXPECT_EQ(queue.in_flight(), 0u);
}

TEST_F(VirtioQueueTest, FullRingSaysAgainAndRecoversAfterCompletions)
{
    make_queue(4);
    Segment two[] = { seg(0x200000, 8), seg(0x200100, 8) };
    ASSERT_FALSE(queue.add(two, {}, 1).is_error());
    ASSERT_FALSE(queue.add(two, {}, 2).is_error());
    EXPECT_EQ(queue.add(two, {}, 3).error(), Errno::AGAIN);
    Segment five[] = { two[0], two[0], two[0], two[0], two[0] };
    EXPECT_EQ(queue.add(five, {}, 4).error(), Errno::INVAL) << "can never fit";
    queue.publish();
    auto chain = device.pop_available(0);
    device.push_used(0, chain->head, 0);
    EXPECT_EQ(queue.pop_used()->token, 1u);
    EXPECT_FALSE(queue.add(two, {}, 3).is_error());
}

TEST_F(VirtioQueueTest, RejectsEmptyChainsAndZeroLengthSegments)
{
    make_queue(4);
    EXPECT_EQ(queue.add({}, {}, 1).error(), Errno::INVAL);
    Segment zero[] = { seg(0x200000, 0) };
    EXPECT_EQ(queue.add(zero, {}, 1).error(), Errno::INVAL);
    EXPECT_EQ(queue.add({}, zero, 1).error(), Errno::INVAL);
    EXPECT_EQ(queue.free_descriptors(), 4);
}

TEST_F(VirtioQueueTest, OutOfOrderCompletionsReturnTheRightTokens)
{
    make_queue(8);
    Segment s[] = { seg(0x200000, 64) };
    for (uint64_t t = 10; t < 13; ++t)
        ASSERT_FALSE(queue.add({}, s, t).is_error());
    queue.publish();
    auto a = device.pop_available(0), b = device.pop_available(0), c = device.pop_available(0);
    device.push_used(0, c->head, 3);
    device.push_used(0, a->head, 1);
    device.push_used(0, b->head, 2);
    EXPECT_EQ(queue.pop_used()->token, 12u);
    EXPECT_EQ(queue.pop_used()->token, 10u);
    auto last = queue.pop_used();
    EXPECT_EQ(last->token, 11u);
    EXPECT_EQ(last->length, 2u);
    EXPECT_FALSE(queue.pop_used());
}

TEST_F(VirtioQueueTest, IndicesWrapPastSixteenBitsWithoutLosingDescriptors)
{
    make_queue(4);
    Segment s[] = { seg(0x200000, 64), seg(0x201000, 64) };
    for (uint32_t i = 0; i < 70000; ++i) {
        ASSERT_FALSE(queue.add(s, {}, i).is_error()) << i;
        queue.publish();
        auto chain = device.pop_available(0);
        ASSERT_TRUE(chain) << i;
        device.push_used(0, chain->head, 0);
        auto used = queue.pop_used();
        ASSERT_TRUE(used) << i;
        ASSERT_EQ(used->token, i);
    }
    EXPECT_EQ(queue.free_descriptors(), 4);
}

TEST_F(VirtioQueueTest, UsedIdThatWasNeverGivenBreaksTheQueue)
{
    make_queue(4);
    Segment s[] = { seg(0x200000, 64) };
    ASSERT_FALSE(queue.add({}, s, 1).is_error());
    queue.publish();
    device.pop_available(0);
    device.push_raw_used(0, 3, 0); // descriptor 3 is free, not a head in flight
    EXPECT_FALSE(queue.pop_used());
    EXPECT_TRUE(queue.broken());
    EXPECT_FALSE(queue.has_used());
}

TEST_F(VirtioQueueTest, UsedIdOutOfRangeBreaksTheQueue)
{
    make_queue(4);
    device.push_raw_used(0, 1000, 0);
    EXPECT_FALSE(queue.pop_used());
    EXPECT_TRUE(queue.broken());
}

TEST_F(VirtioQueueTest, UsedIndexRunningAheadOfTheRingBreaksTheQueue)
{
    make_queue(4);
    uint16_t bogus = 9;
    device.write(queue.device_area() + 2, &bogus, 2);
    EXPECT_FALSE(queue.pop_used());
    EXPECT_TRUE(queue.broken());
}

TEST_F(VirtioQueueTest, PublishHonoursNoNotifyWithoutEventIdx)
{
    make_queue(4);
    Segment s[] = { seg(0x200000, 64) };
    EXPECT_FALSE(queue.publish()) << "nothing new";
    ASSERT_FALSE(queue.add({}, s, 1).is_error());
    EXPECT_TRUE(queue.publish());
    uint16_t flags = VIRTQ_USED_F_NO_NOTIFY;
    device.write(queue.device_area(), &flags, 2);
    ASSERT_FALSE(queue.add({}, s, 2).is_error());
    EXPECT_FALSE(queue.publish());
}

TEST_F(VirtioQueueTest, PublishFollowsAvailEventWithEventIdx)
{
    make_queue(8, true);
    Segment s[] = { seg(0x200000, 64) };
    // avail_event 0: the first publish (0 -> 1) crosses it.
    ASSERT_FALSE(queue.add({}, s, 1).is_error());
    EXPECT_TRUE(queue.publish());
    // The device has not consumed anything: avail_event still 0, 1 -> 2 does not cross.
    ASSERT_FALSE(queue.add({}, s, 2).is_error());
    EXPECT_FALSE(queue.publish());
    // The device consumes both and sets avail_event = 2; 2 -> 3 crosses it.
    device.pop_available(0);
    device.pop_available(0);
    ASSERT_FALSE(queue.add({}, s, 3).is_error());
    EXPECT_TRUE(queue.publish());
}

TEST_F(VirtioQueueTest, InterruptSuppressionWithoutEventIdxUsesTheAvailFlag)
{
    make_queue(4);
    queue.disable_interrupts();
    EXPECT_EQ(device.avail_flags(0), VIRTQ_AVAIL_F_NO_INTERRUPT);
    EXPECT_FALSE(queue.enable_interrupts());
    EXPECT_EQ(device.avail_flags(0), 0);
}

TEST_F(VirtioQueueTest, EnableInterruptsReportsBuffersUsedMeanwhile)
{
    make_queue(4, true);
    Segment s[] = { seg(0x200000, 64) };
    ASSERT_FALSE(queue.add({}, s, 1).is_error());
    queue.publish();
    queue.disable_interrupts();
    device.push_used(0, device.pop_available(0)->head, 0);
    EXPECT_TRUE(queue.enable_interrupts()) << "a buffer was used while interrupts were off";
    EXPECT_EQ(device.used_event(0), 0) << "used_event = last seen used idx";
    queue.pop_used();
    EXPECT_EQ(device.used_event(0), 1);
}

TEST_F(VirtioQueueTest, ReleaseReturnsTheRingMemory)
{
    make_queue(256);
    EXPECT_EQ(ram.pages_in_use(), 2u);
    queue.release(ram.memory());
    EXPECT_EQ(ram.pages_in_use(), 0u);
}

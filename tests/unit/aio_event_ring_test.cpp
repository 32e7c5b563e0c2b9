#include <gtest/gtest.h>

#include <vector>

#include "fs/aio/event_ring.h"

using namespace kiln::aio;

namespace {

IoEvent event(uint64_t n) { return IoEvent { n, n * 64, static_cast<int64_t>(n) * 512, 0 }; }

} // namespace

TEST(AioEventRing, CapacityCountsInFlightAndUnreapedEvents)
{
    std::vector<IoEvent> storage(3);
    EventRing ring(storage.data(), 3);
    EXPECT_TRUE(ring.reserve());
    EXPECT_TRUE(ring.reserve());
    EXPECT_TRUE(ring.reserve());
    EXPECT_FALSE(ring.reserve()) << "three in flight fill a ring of three";
    ring.post(event(1));
    EXPECT_EQ(ring.in_flight(), 2u);
    EXPECT_EQ(ring.ready(), 1u);
    EXPECT_FALSE(ring.reserve()) << "a completed event holds its slot until it is reaped";
    ring.drop(1);
    EXPECT_TRUE(ring.reserve());
    ring.unreserve();
    EXPECT_EQ(ring.in_flight(), 2u);
}

TEST(AioEventRing, EventsComeOutInCompletionOrderAcrossTheWrap)
{
    std::vector<IoEvent> storage(4);
    EventRing ring(storage.data(), 4);
    uint64_t next_posted = 0, next_reaped = 0;
    // Many rounds of uneven batches so head and tail wrap at every position.
    for (int round = 0; round < 50; ++round) {
        uint32_t batch = 1 + round % 4;
        for (uint32_t i = 0; i < batch && ring.reserve(); ++i)
            ring.post(event(next_posted++));
        uint32_t reap = (round % 3) + 1;
        if (reap > ring.ready())
            reap = ring.ready();
        for (uint32_t i = 0; i < reap; ++i) {
            EXPECT_EQ(ring.peek(i).data, next_reaped + i);
            EXPECT_EQ(ring.peek(i).result, static_cast<int64_t>((next_reaped + i) * 512));
        }
        ring.drop(reap);
        next_reaped += reap;
    }
    EXPECT_GT(next_posted, 8u) << "wrapped at least twice";
    EXPECT_EQ(next_posted - next_reaped, ring.ready());
}

TEST(AioEventRing, PostWithoutReservationNeverOverwritesUnreapedEvents)
{
    std::vector<IoEvent> storage(1);
    EventRing ring(storage.data(), 1);
    ASSERT_TRUE(ring.reserve());
    ring.post(event(7));
    ring.post(event(8));
    EXPECT_EQ(ring.ready(), 1u);
    EXPECT_EQ(ring.peek(0).data, 7u);
    ring.drop(5);
    EXPECT_EQ(ring.ready(), 0u);
}

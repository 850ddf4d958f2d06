// EventListenerPool with scripted listeners: serials, envelopes, one event
// per READY listener, re-buffering on FAIL and on death, overflow.

#include <gtest/gtest.h>

#include "runtime/events/event_bus.h"
#include "runtime/events/event_pool.h"

namespace proctor::runtime::events {
namespace {

struct Harness {
  EventBus bus;
  LogLines log;
  std::vector<std::pair<std::size_t, std::string>> sent;
  bool pipe_broken = false;

  explicit Harness(std::size_t buffer_size = 10, std::size_t listeners = 1,
                   std::vector<EventType> events = {EventType::kEvent}) {
    std::vector<std::string> names;
    for (std::size_t i = 0; i < listeners; ++i) names.push_back("lis_" + std::to_string(i));
    bus.add_pool({"lis", buffer_size, std::move(events), "supervisor"}, names);
  }
  EventPool& pool() { return *bus.pool("lis"); }
  void start(std::size_t i) {
    pool().listener_spawned(i);
    pool().listener_running(i, true);
    output(i, "READY\n");
  }
  void output(std::size_t i, std::string_view bytes) {
    pool().listener_output(i, bytes, bus.serial(), log);
    dispatch();
  }
  void dispatch() {
    bus.dispatch(
        [&](const EventPool&, std::size_t i, std::string_view bytes) {
          if (pipe_broken) return false;
          sent.emplace_back(i, std::string(bytes));
          return true;
        },
        log);
  }
  void remote(std::string_view data) {
    bus.notify(EventType::kRemoteCommunication, remote_communication_payload("t", data), log);
    dispatch();
  }
};

TEST(EventPool, EnvelopeCarriesSerialsAndCharacterLength) {
  Harness h;
  h.start(0);
  h.bus.notify(EventType::kProcessGroupAdded, process_group_payload("caf\xc3\xa9"), h.log);
  h.dispatch();
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].second,
            "ver:3.0 server:supervisor serial:0 pool:lis poolserial:0 eventname:PROCESS_GROUP_ADDED len:15\n"
            "groupname:caf\xc3\xa9\n");
}

TEST(EventPool, OneEventAtATimeUntilTheListenerAnswers) {
  Harness h;
  h.start(0);
  h.remote("a");
  h.remote("b");
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.pool().buffered(), 1u);
  h.output(0, "RESULT 2\nOK");
  EXPECT_EQ(h.sent.size(), 1u);  // ACKNOWLEDGED: not until READY again
  h.output(0, "READY\n");
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_NE(h.sent[1].second.find("serial:1 pool:lis poolserial:1"), std::string::npos);
}

TEST(EventPool, FailRequeuesTheSameEventAtTheHead) {
  Harness h;
  h.start(0);
  h.remote("first");
  h.remote("second");
  h.output(0, "RESULT 4\nFAILREADY\n");
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[0].second, h.sent[1].second);  // same serials, same payload
  EXPECT_EQ(h.pool().buffered(), 1u);
}

TEST(EventPool, ListenerDyingMidEventKeepsTheEventForItsNextLife) {
  Harness h;
  h.start(0);
  h.remote("x");
  h.output(0, "RESULT 2\nO");  // dies before the K
  h.pool().listener_exited(0, h.bus.serial(), h.log);
  EXPECT_EQ(h.pool().buffered(), 1u);
  h.start(0);
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[0].second, h.sent[1].second);
}

TEST(EventPool, OnlyRunningReadyListenersGetEvents) {
  Harness h(10, 2);
  h.pool().listener_spawned(0);
  h.output(0, "READY\n");  // READY but still STARTING
  h.remote("x");
  EXPECT_TRUE(h.sent.empty());
  h.start(1);
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].first, 1u);
  h.pool().listener_running(0, true);
  h.remote("y");
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_EQ(h.sent[1].first, 0u);
}

TEST(EventPool, BrokenPipeLeavesTheEventBuffered) {
  Harness h;
  h.start(0);
  h.pipe_broken = true;
  h.remote("x");
  EXPECT_EQ(h.pool().buffered(), 1u);
  EXPECT_EQ(h.pool().listener_state(0), ListenerState::kReady);
}

TEST(EventPool, OverflowDropsTheOldestAndLogsIt) {
  Harness h(3);
  for (const char* d : {"a", "b", "c", "d", "e"}) h.remote(d);
  EXPECT_EQ(h.pool().buffered(), 3u);
  bool logged = false;
  for (const auto& l : h.log)
    if (l.level == "error" && l.message == "pool lis event buffer overflowed, discarding event 0") logged = true;
  EXPECT_TRUE(logged);
  h.start(0);
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_NE(h.sent[0].second.find("serial:2 "), std::string::npos);
}

TEST(EventPool, OnlySubscribedTypesAndSerialsOnlyWhenAccepted) {
  Harness h(10, 1, {EventType::kProcessState, EventType::kTick5});
  h.start(0);
  EXPECT_FALSE(h.bus.wants(EventType::kRemoteCommunication));
  h.remote("ignored");
  EXPECT_TRUE(h.sent.empty());
  h.bus.notify(EventType::kTick5, tick_payload(5), h.log);
  h.dispatch();
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_NE(h.sent[0].second.find("serial:0 pool:lis poolserial:0 eventname:TICK_5 len:6\nwhen:5"),
            std::string::npos);
}

TEST(EventPool, OverlappingSubscriptionsDeliverTwiceAsSupervisorDoes) {
  Harness h(10, 1, {EventType::kTick, EventType::kTick5});
  h.bus.notify(EventType::kTick5, tick_payload(5), h.log);
  EXPECT_EQ(h.pool().buffered(), 2u);
}

TEST(EventPool, PoolsShareTheGlobalSerialButCountTheirOwn) {
  Harness h;
  h.bus.add_pool({"other", 10, {EventType::kTick}, "supervisor"}, {"other"});
  h.start(0);
  h.bus.pool("other")->listener_spawned(0);
  h.bus.pool("other")->listener_running(0, true);
  h.bus.pool("other")->listener_output(0, "READY\n", h.bus.serial(), h.log);
  h.remote("r");
  h.bus.notify(EventType::kTick5, tick_payload(5), h.log);
  h.dispatch();
  ASSERT_EQ(h.sent.size(), 2u);
  EXPECT_NE(h.sent[1].second.find("serial:1 pool:other poolserial:0"), std::string::npos);
}

}  // namespace
}  // namespace proctor::runtime::events

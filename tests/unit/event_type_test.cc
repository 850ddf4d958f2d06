// Supervisor's event type tree and the payloads its event classes render.

#include <gtest/gtest.h>

#include "runtime/events/event.h"
#include "runtime/events/event_type.h"
#include "runtime/events/python_text.h"
#include "runtime/events/tick_schedule.h"

namespace proctor::runtime::events {
namespace {

TEST(EventType, NamesRoundTrip) {
  for (int i = 0; i <= static_cast<int>(EventType::kProcessGroupRemoved); ++i) {
    auto t = static_cast<EventType>(i);
    EXPECT_EQ(event_type_named(event_name(t)), t) << event_name(t);
  }
  EXPECT_FALSE(event_type_named("PROCESS_STATE_BOGUS"));
  EXPECT_FALSE(event_type_named("EVENT_BUFFER_OVERFLOW"));  // gone from Supervisor 4
}

TEST(EventType, AbstractTypesMatchTheirSubtypes) {
  EXPECT_TRUE(is_a(EventType::kProcessStateFatal, EventType::kProcessState));
  EXPECT_TRUE(is_a(EventType::kProcessStateFatal, EventType::kEvent));
  EXPECT_TRUE(is_a(EventType::kTick60, EventType::kTick));
  EXPECT_TRUE(is_a(EventType::kTick60, EventType::kTick60));
  EXPECT_FALSE(is_a(EventType::kTick60, EventType::kTick5));
  EXPECT_FALSE(is_a(EventType::kProcessLogStdout, EventType::kProcessCommunication));
  EXPECT_FALSE(is_a(EventType::kProcessState, EventType::kProcessStateExited));
}

TEST(EventPayload, ProcessStateFieldsPerTargetState) {
  ProcessRef p{"web_0", "web"};
  EXPECT_EQ(process_state_payload(EventType::kProcessStateStarting, p, "STOPPED", true, 0, 0),
            "processname:web_0 groupname:web from_state:STOPPED tries:0");
  EXPECT_EQ(process_state_payload(EventType::kProcessStateBackoff, p, "STARTING", true, 0, 2),
            "processname:web_0 groupname:web from_state:STARTING tries:2");
  EXPECT_EQ(process_state_payload(EventType::kProcessStateExited, p, "RUNNING", false, 42, 0),
            "processname:web_0 groupname:web from_state:RUNNING expected:0 pid:42");
  EXPECT_EQ(process_state_payload(EventType::kProcessStateRunning, p, "STARTING", true, 42, 0),
            "processname:web_0 groupname:web from_state:STARTING pid:42");
  EXPECT_EQ(process_state_payload(EventType::kProcessStateStopped, p, "STOPPING", true, 42, 0),
            "processname:web_0 groupname:web from_state:STOPPING pid:42");
  EXPECT_EQ(process_state_payload(EventType::kProcessStateFatal, p, "BACKOFF", true, 0, 0),
            "processname:web_0 groupname:web from_state:BACKOFF");
}

TEST(EventPayload, LogCommunicationGroupTickRemote) {
  ProcessRef p{"a", "g"};
  EXPECT_EQ(process_log_payload(p, 7, "stdout", "hi\n"), "processname:a groupname:g pid:7 channel:stdout\nhi\n");
  EXPECT_EQ(process_log_payload(p, 7, "stderr", "\xff"),
            "processname:a groupname:g pid:7 channel:stderr\nUndecodable: b'\\xff'");
  EXPECT_EQ(process_communication_payload(p, 7, "<x/>"), "processname:a groupname:g pid:7\n<x/>");
  EXPECT_EQ(process_group_payload("g"), "groupname:g\n");
  EXPECT_EQ(tick_payload(1700000005), "when:1700000005");
  EXPECT_EQ(remote_communication_payload("deploy", "v1\ndone"), "type:deploy\nv1\ndone");
}

TEST(PythonText, ReprAndLength) {
  EXPECT_EQ(python_bytes_repr("a'b\"c\\"), "b'a\\'b\"c\\\\'");
  EXPECT_EQ(python_bytes_repr("\t\r\x01\x7f"), "b'\\t\\r\\x01\\x7f'");
  EXPECT_EQ(python_str_len("h\xc3\xa9llo"), 5u);
  EXPECT_TRUE(is_valid_utf8("h\xc3\xa9llo \xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));  // surrogate
}

TEST(TickSchedule, FirstLookOnlyNotesTheSlice) {
  TickSchedule t;
  EXPECT_TRUE(t.due(1003.0).empty());
  EXPECT_TRUE(t.due(1004.9).empty());
  auto d = t.due(1005.1);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].first, EventType::kTick5);
  EXPECT_EQ(d[0].second, 1005);
  EXPECT_EQ(TickSchedule::next(1005.1), 1010.0);
}

TEST(TickSchedule, HourBoundaryRaisesAllThree) {
  TickSchedule t;
  t.due(3599.0);
  auto d = t.due(3600.5);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].first, EventType::kTick5);
  EXPECT_EQ(d[1].first, EventType::kTick60);
  EXPECT_EQ(d[2].first, EventType::kTick3600);
  EXPECT_EQ(d[2].second, 3600);
}

}  // namespace
}  // namespace proctor::runtime::events

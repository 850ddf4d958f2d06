// The listener side of the protocol, fed scripted stdout as
// PEventListenerDispatcher would read it, in any chunking.

#include <gtest/gtest.h>

#include "runtime/events/listener_protocol.h"

namespace proctor::runtime::events {
namespace {

using S = ListenerState;

std::vector<Verdict> feed_bytewise(ListenerProtocol& p, std::string_view bytes, LogLines& log) {
  std::vector<Verdict> all;
  for (char c : bytes) {
    auto v = p.feed(std::string_view(&c, 1), log);
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

bool logged(const LogLines& log, std::string_view level, std::string_view text) {
  for (const auto& l : log)
    if (l.level == level && l.message.find(text) != std::string::npos) return true;
  return false;
}

TEST(ListenerProtocol, ReadyThenOk) {
  ListenerProtocol p("lis");
  LogLines log;
  EXPECT_EQ(p.state(), S::kAcknowledged);
  EXPECT_TRUE(p.feed("READY\n", log).empty());
  EXPECT_EQ(p.state(), S::kReady);
  p.event_sent(log);
  EXPECT_EQ(p.state(), S::kBusy);
  EXPECT_EQ(p.feed("RESULT 2\nOKREADY\n", log), std::vector<Verdict>{Verdict::kAccepted});
  EXPECT_EQ(p.state(), S::kReady);
  EXPECT_TRUE(logged(log, "debug", "lis: event was processed"));
  EXPECT_TRUE(logged(log, "debug", "lis: BUSY -> ACKNOWLEDGED"));
}

TEST(ListenerProtocol, OneByteAtATime) {
  ListenerProtocol p("lis");
  LogLines log;
  feed_bytewise(p, "READY\n", log);
  EXPECT_EQ(p.state(), S::kReady);
  p.event_sent(log);
  auto v = feed_bytewise(p, "RESULT 4\nFAILREADY\n", log);
  EXPECT_EQ(v, std::vector<Verdict>{Verdict::kRejected});
  EXPECT_EQ(p.state(), S::kReady);
  EXPECT_TRUE(logged(log, "warn", "lis: event was rejected"));
}

TEST(ListenerProtocol, AnythingButOkIsARejection) {
  for (std::string_view body : {"FAIL", "ok", "OK ", "NO"}) {
    ListenerProtocol p("lis");
    LogLines log;
    p.feed("READY\n", log);
    p.event_sent(log);
    std::string reply = "RESULT " + std::to_string(body.size()) + "\n" + std::string(body);
    EXPECT_EQ(p.feed(reply, log), std::vector<Verdict>{Verdict::kRejected}) << body;
    EXPECT_EQ(p.state(), S::kAcknowledged);
  }
}

TEST(ListenerProtocol, ResultBodyMayArriveLater) {
  ListenerProtocol p("lis");
  LogLines log;
  p.feed("READY\n", log);
  p.event_sent(log);
  EXPECT_TRUE(p.feed("RESULT 2\n", log).empty());
  EXPECT_TRUE(p.feed("O", log).empty());
  EXPECT_EQ(p.state(), S::kBusy);
  EXPECT_EQ(p.feed("K", log), std::vector<Verdict>{Verdict::kAccepted});
}

TEST(ListenerProtocol, GarbageInsteadOfReadyIsUnknownForGood) {
  ListenerProtocol p("lis");
  LogLines log;
  EXPECT_TRUE(p.feed("hello", log).empty());  // shorter than READY\n: undecided
  EXPECT_EQ(p.state(), S::kAcknowledged);
  p.feed(" world\n", log);
  EXPECT_EQ(p.state(), S::kUnknown);
  EXPECT_TRUE(logged(log, "warn", "violated the eventlistener protocol"));
  p.feed("READY\n", log);
  EXPECT_EQ(p.state(), S::kUnknown);
}

TEST(ListenerProtocol, SpuriousOutputWhileReadyIsUnknown) {
  ListenerProtocol p("lis");
  LogLines log;
  p.feed("READY\nREADY\n", log);
  EXPECT_EQ(p.state(), S::kUnknown);
}

TEST(ListenerProtocol, BadResultLineRejectsAndIsUnknown) {
  ListenerProtocol p("lis");
  LogLines log;
  p.feed("READY\n", log);
  p.event_sent(log);
  EXPECT_EQ(p.feed("RESULT two\nOK", log), std::vector<Verdict>{Verdict::kRejected});
  EXPECT_EQ(p.state(), S::kUnknown);
  EXPECT_TRUE(logged(log, "warn", "lis: bad result line: 'RESULT two'"));
}

TEST(ListenerProtocol, ResultLengthIsReadAsPythonInt) {
  ListenerProtocol p("lis");
  LogLines log;
  p.feed("READY\n", log);
  p.event_sent(log);
  EXPECT_EQ(p.feed("RESULT  2 \nOK", log), std::vector<Verdict>{Verdict::kAccepted});
}

}  // namespace
}  // namespace proctor::runtime::events

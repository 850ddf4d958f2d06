// Capture mode as POutputDispatcher.record_output runs it.

#include <gtest/gtest.h>

#include "runtime/events/output_capture.h"
#include "runtime/logs/ansi_strip.h"

namespace proctor::runtime::events {
namespace {

using Kind = OutputCapture::Piece::Kind;

struct Seen {
  std::string logged, captured;
  std::vector<std::string> events;
};

Seen run(OutputCapture& c, const std::vector<std::string_view>& chunks) {
  Seen s;
  for (auto chunk : chunks)
    for (auto& p : c.feed(chunk)) {
      if (p.kind == Kind::kCommunication) s.events.push_back(p.data);
      else (p.captured ? s.captured : s.logged) += p.data;
    }
  return s;
}

TEST(OutputCapture, TextBetweenTokensBecomesOneEvent) {
  OutputCapture c(1000);
  Seen s = run(c, {"before <!--XSUPERVISOR:BEGIN-->payload<!--XSUPERVISOR:END--> after and more\n"});
  EXPECT_EQ(s.events, std::vector<std::string>{"payload"});
  EXPECT_EQ(s.logged, "before ");  // the rest is no longer than a token: held back
  EXPECT_EQ(s.captured, "payload");
  Seen more = run(c, {"and that is enough to flush it"});
  EXPECT_EQ(more.logged, " after and more\nand that is enough to flush it");
}

TEST(OutputCapture, TokensSplitAcrossReadsOneByteAtATime) {
  OutputCapture c(1000);
  std::string text = "x<!--XSUPERVISOR:BEGIN-->abc<!--XSUPERVISOR:END-->tail that is long enough";
  std::vector<std::string> bytes;
  for (char ch : text) bytes.emplace_back(1, ch);
  std::vector<std::string_view> chunks(bytes.begin(), bytes.end());
  Seen s = run(c, chunks);
  EXPECT_EQ(s.events, std::vector<std::string>{"abc"});
  EXPECT_FALSE(c.capturing());
}

TEST(OutputCapture, ShortOutputWaitsForMoreBytes) {
  OutputCapture c(1000);
  EXPECT_TRUE(c.feed("short").empty());  // not longer than the begin token
  auto p = c.feed(" but now it is longer than the token");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].data, "short but now it is longer than the token");
}

TEST(OutputCapture, CaptureBufferIsBoundedLikeBoundIO) {
  OutputCapture c(4);
  std::string as(25, 'a'), bs(30, 'b'), tail(30, '.');
  std::string first = "<!--XSUPERVISOR:BEGIN-->" + as, last = "<!--XSUPERVISOR:END-->" + tail;
  Seen s = run(c, {first, bs, last});
  // BoundIO drops as many leading bytes as a write brings when it would
  // overflow, then appends the write whole.
  ASSERT_EQ(s.events.size(), 1u);
  EXPECT_EQ(s.events[0], bs);
  EXPECT_EQ(s.logged, tail);
}

// strip_ansi: _log strips each piece after record_output has split the raw
// bytes at the tokens, so the capture and the log both lose their escapes,
// and a token with an escape inside it is no token.
TEST(OutputCapture, EscapesAreStrippedFromEachPieceAfterTheTokensAreFound) {
  OutputCapture c(1000, logs::strip_ansi);
  Seen s = run(c, {"\x1b[1mbold\x1b[0m <!--XSUPERVISOR:BEGIN-->\x1b[31mred\x1b[0m<!--XSUPERVISOR:END-->",
                   "<!--XSUPERVISOR:\x1b[0mBEGIN-->not captured, long enough"});
  EXPECT_EQ(s.events, std::vector<std::string>{"red"});
  EXPECT_EQ(s.captured, "red");
  EXPECT_EQ(s.logged, "bold <!--XSUPERVISOR:BEGIN-->not captured, long enough");
  EXPECT_FALSE(c.capturing());
}

}  // namespace
}  // namespace proctor::runtime::events

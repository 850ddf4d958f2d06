#pragma once
// Supervisor's stripEscapes (dispatchers.py, used with strip_ansi=true):
// from each ESC '[' up to and including the next terminator byte
// (one of HfABCDRsuJKhlpm) nothing is kept. Supervisor strips each read
// on its own, so a sequence split across two reads leaks into its log;
// this stripper carries its state across chunks instead.

#include <string>
#include <string_view>

namespace proctor::runtime::logs {

class AnsiStripper {
 public:
  /// Appends the visible bytes of `chunk` to `out`. A trailing lone ESC
  /// is held back until the next chunk shows whether '[' follows.
  void feed(std::string_view chunk, std::string& out);
  /// End of stream: appends the held-back ESC, if any.
  void finish(std::string& out);

 private:
  bool hiding_ = false;       ///< inside an escape sequence
  bool pending_esc_ = false;  ///< the last chunk ended with ESC
};

/// One-shot stripEscapes for a complete buffer.
std::string strip_ansi(std::string_view text);

}  // namespace proctor::runtime::logs

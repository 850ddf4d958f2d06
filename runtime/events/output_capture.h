#pragma once
// Capture mode of one output channel, as POutputDispatcher.record_output
// runs it when `*_capture_maxbytes` is set: output between
// <!--XSUPERVISOR:BEGIN--> and <!--XSUPERVISOR:END--> goes to a bounded
// capture buffer instead of the log, and becomes one
// PROCESS_COMMUNICATION_* event when the end token arrives. Bytes may
// arrive in any chunking; a token split across reads is held back.
// Tokens are looked for in the raw bytes; like _log, each piece between
// them is filtered (stripEscapes when strip_ansi is set) only afterwards.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace proctor::runtime::events {

class OutputCapture {
 public:
  /// What _log does to a piece before it is logged or captured.
  using Filter = std::string (*)(std::string_view);

  explicit OutputCapture(std::size_t maxbytes, Filter filter = nullptr) : maxbytes_(maxbytes), filter_(filter) {}

  struct Piece {
    enum class Kind {
      kOutput,         ///< output to log (`captured`: to the capture buffer instead)
      kCommunication,  ///< a finished capture: the event's data
    };
    Kind kind;
    bool captured = false;
    std::string data;
  };
  /// record_output over the bytes read; pieces in the order Supervisor handles them.
  std::vector<Piece> feed(std::string_view bytes);
  bool capturing() const { return capturing_; }

 private:
  void record(std::vector<Piece>& out);
  void emit(std::string data, std::vector<Piece>& out);
  void toggle(std::vector<Piece>& out);

  std::size_t maxbytes_;
  Filter filter_;
  bool capturing_ = false;
  std::string buffer_;    ///< Supervisor's output_buffer
  std::string captured_;  ///< the BoundIO capture log
};

}  // namespace proctor::runtime::events

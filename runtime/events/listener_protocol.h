#pragma once
// The listener side of Supervisor's event protocol, as
// PEventListenerDispatcher reads a listener's stdout: ACKNOWLEDGED until
// "READY\n", READY until an event is sent, BUSY until "RESULT n\n" and n
// bytes, which the default result handler accepts ("OK") or rejects
// (anything else). Anything out of turn puts the listener in UNKNOWN for
// good. Bytes may arrive in any chunking.

#include <string>
#include <string_view>
#include <vector>

#include "runtime/events/log_line.h"

namespace proctor::runtime::events {

enum class ListenerState { kAcknowledged, kReady, kBusy, kUnknown };

const char* listener_state_name(ListenerState s);

/// What became of the event the listener was busy with.
enum class Verdict {
  kAccepted,  ///< processed: forget it
  kRejected,  ///< re-buffer it at the head of the pool's queue
};

class ListenerProtocol {
 public:
  explicit ListenerProtocol(std::string name) : name_(std::move(name)) {}

  ListenerState state() const { return state_; }
  /// An event envelope was written to the listener.
  void event_sent(LogLines& log);
  /// Bytes read from the listener's stdout; verdicts on its event, in order.
  std::vector<Verdict> feed(std::string_view bytes, LogLines& log);

 private:
  void change_state(ListenerState to, LogLines& log);
  bool step_acknowledged(LogLines& log);
  bool step_busy(std::vector<Verdict>& out, LogLines& log);
  void handle_result(std::vector<Verdict>& out, LogLines& log);

  std::string name_;
  ListenerState state_ = ListenerState::kAcknowledged;
  std::string buffer_;  ///< Supervisor's state_buffer
  std::string result_;
  long long result_len_ = -1;  ///< -1 until the RESULT line is read
};

}  // namespace proctor::runtime::events

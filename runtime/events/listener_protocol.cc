#include "runtime/events/listener_protocol.h"

#include <fmt/format.h>

#include <cctype>

namespace proctor::runtime::events {

namespace {

constexpr std::string_view kReadyToken = "READY\n";
constexpr std::string_view kResultToken = "RESULT ";

// Python's int() of the RESULT line's tail: optional spaces and sign
// around decimal digits (underscores between digits too).
bool python_int(std::string_view s, long long& value) {
  auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  long long v = 0;
  char prev = 0;
  for (char c : s) {
    if (c == '_') {
      if (prev == '_') return false;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      if (v > (1LL << 50)) return false;  // beyond any length a pipe could deliver
      v = v * 10 + (c - '0');
    } else {
      return false;
    }
    prev = c;
  }
  value = negative ? -v : v;
  return true;
}

}  // namespace

const char* listener_state_name(ListenerState s) {
  switch (s) {
    case ListenerState::kAcknowledged: return "ACKNOWLEDGED";
    case ListenerState::kReady: return "READY";
    case ListenerState::kBusy: return "BUSY";
    case ListenerState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

void ListenerProtocol::change_state(ListenerState to, LogLines& log) {
  log.push_back({"debug", fmt::format("{}: {} -> {}", name_, listener_state_name(state_), listener_state_name(to))});
  state_ = to;
  if (to == ListenerState::kUnknown)
    log.push_back({"warn", fmt::format("{}: has entered the UNKNOWN state and will no longer receive events, "
                                       "this usually indicates the process violated the eventlistener protocol",
                                       name_)});
}

void ListenerProtocol::event_sent(LogLines& log) { change_state(ListenerState::kBusy, log); }

std::vector<Verdict> ListenerProtocol::feed(std::string_view bytes, LogLines& log) {
  std::vector<Verdict> out;
  buffer_.append(bytes);
  // handle_listener_state_change, with its recursion as a loop: each step
  // consumes what it can and says whether to look at the rest.
  bool more = true;
  while (more && !buffer_.empty()) {
    switch (state_) {
      case ListenerState::kUnknown:
        buffer_.clear();
        more = false;
        break;
      case ListenerState::kAcknowledged: more = step_acknowledged(log); break;
      case ListenerState::kReady:
        // Spurious data while waiting for an event: Supervisor is strict.
        change_state(ListenerState::kUnknown, log);
        buffer_.clear();
        more = false;
        break;
      case ListenerState::kBusy: more = step_busy(out, log); break;
    }
  }
  return out;
}

bool ListenerProtocol::step_acknowledged(LogLines& log) {
  if (buffer_.size() < kReadyToken.size()) return false;
  if (buffer_.starts_with(kReadyToken)) {
    change_state(ListenerState::kReady, log);
    buffer_.erase(0, kReadyToken.size());
    return true;
  }
  change_state(ListenerState::kUnknown, log);
  buffer_.clear();
  return false;
}

bool ListenerProtocol::step_busy(std::vector<Verdict>& out, LogLines& log) {
  if (result_len_ < 0) {
    auto pos = buffer_.find('\n');
    if (pos == std::string::npos) return false;
    std::string line = buffer_.substr(0, pos);
    buffer_.erase(0, pos + 1);
    // Supervisor slices the token's length off without checking the token.
    std::string_view tail = std::string_view(line).substr(std::min(line.size(), kResultToken.size()));
    long long len = 0;
    if (!python_int(tail, len)) {
      log.push_back({"warn", fmt::format("{}: bad result line: '{}'", name_, line)});
      change_state(ListenerState::kUnknown, log);
      buffer_.clear();
      out.push_back(Verdict::kRejected);
      return false;
    }
    result_len_ = std::max(0LL, len);
    return true;
  }
  auto needed = static_cast<std::size_t>(result_len_) - result_.size();
  if (needed) {
    std::size_t take = std::min(needed, buffer_.size());
    result_.append(buffer_, 0, take);
    buffer_.erase(0, take);
  }
  if (result_.size() == static_cast<std::size_t>(result_len_)) handle_result(out, log);
  return true;
}

// supervisor.dispatchers.default_handler: only the exact bytes "OK" accept.
void ListenerProtocol::handle_result(std::vector<Verdict>& out, LogLines& log) {
  bool ok = result_ == "OK";
  log.push_back(ok ? LogLine{"debug", fmt::format("{}: event was processed", name_)}
                   : LogLine{"warn", fmt::format("{}: event was rejected", name_)});
  change_state(ListenerState::kAcknowledged, log);
  out.push_back(ok ? Verdict::kAccepted : Verdict::kRejected);
  result_.clear();
  result_len_ = -1;
}

}  // namespace proctor::runtime::events

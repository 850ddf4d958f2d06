#include "runtime/events/output_capture.h"

namespace proctor::runtime::events {

namespace {

constexpr std::string_view kBeginToken = "<!--XSUPERVISOR:BEGIN-->";
constexpr std::string_view kEndToken = "<!--XSUPERVISOR:END-->";

// medusa's find_prefix_at_end: the longest proper prefix of `token` that
// `data` ends with.
std::size_t prefix_at_end(std::string_view data, std::string_view token) {
  for (std::size_t l = token.size() - 1; l > 0; --l)
    if (data.ends_with(token.substr(0, l))) return l;
  return 0;
}

}  // namespace

std::vector<OutputCapture::Piece> OutputCapture::feed(std::string_view bytes) {
  std::vector<Piece> out;
  buffer_.append(bytes);
  record(out);
  return out;
}

// record_output, with its tail recursion as a loop.
void OutputCapture::record(std::vector<Piece>& out) {
  for (;;) {
    std::string_view token = capturing_ ? kEndToken : kBeginToken;
    if (buffer_.size() <= token.size()) return;
    std::string data = std::move(buffer_);
    buffer_.clear();
    auto at = data.find(token);
    if (at == std::string::npos) {
      std::size_t keep = prefix_at_end(data, token);
      buffer_ = data.substr(data.size() - keep);
      data.resize(data.size() - keep);
      emit(std::move(data), out);
      return;
    }
    emit(data.substr(0, at), out);
    toggle(out);
    buffer_ = data.substr(at + token.size());
    if (buffer_.empty()) return;
  }
}

// _log: to the capture buffer (BoundIO, which drops from the front as
// Supervisor's does) or to the normal log.
void OutputCapture::emit(std::string data, std::vector<Piece>& out) {
  if (filter_) data = filter_(data);
  if (data.empty()) return;
  if (capturing_) {
    if (captured_.size() + data.size() > maxbytes_) captured_.erase(0, std::min(captured_.size(), data.size()));
    captured_ += data;
  }
  out.push_back({Piece::Kind::kOutput, capturing_, std::move(data)});
}

void OutputCapture::toggle(std::vector<Piece>& out) {
  capturing_ = !capturing_;
  if (capturing_) return;
  out.push_back({Piece::Kind::kCommunication, false, std::move(captured_)});
  captured_.clear();
}

}  // namespace proctor::runtime::events

#include "runtime/logs/ansi_strip.h"

#include <cstring>

namespace proctor::runtime::logs {
namespace {

constexpr char kEsc = '\x1b';

bool is_terminator(char c) { return c != '\0' && std::strchr("HfABCDRsuJKhlpm", c); }

}  // namespace

void AnsiStripper::feed(std::string_view chunk, std::string& out) {
  size_t i = 0;
  if (pending_esc_ && !chunk.empty()) {
    pending_esc_ = false;
    if (chunk[0] == '[') {
      hiding_ = true;
      i = 1;
    } else {
      out += kEsc;
    }
  }
  while (i < chunk.size()) {
    if (hiding_) {
      while (i < chunk.size() && !is_terminator(chunk[i])) ++i;
      if (i == chunk.size()) return;
      hiding_ = false;
      ++i;  // the terminator goes too
      continue;
    }
    size_t esc = chunk.find(kEsc, i);
    if (esc == std::string_view::npos) esc = chunk.size();
    out.append(chunk.substr(i, esc - i));
    if (esc == chunk.size()) return;
    if (esc + 1 == chunk.size()) {
      pending_esc_ = true;
      return;
    }
    if (chunk[esc + 1] == '[') {
      hiding_ = true;
      i = esc + 2;
    } else {
      out += kEsc;
      i = esc + 1;
    }
  }
}

void AnsiStripper::finish(std::string& out) {
  if (pending_esc_) out += kEsc;
  pending_esc_ = false;
}

std::string strip_ansi(std::string_view text) {
  AnsiStripper stripper;
  std::string out;
  stripper.feed(text, out);
  stripper.finish(out);
  return out;
}

}  // namespace proctor::runtime::logs

#include "compiler/plan/group_hash.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "compiler/model/value_types.h"
#include "compiler/plan/plan_printer.h"

namespace proctor::plan {

namespace {

using nlohmann::json;

class Fnv1a {
 public:
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      h_ ^= c;
      h_ *= 1099511628211ull;
    }
  }
  void add(char c) { add(std::string_view(&c, 1)); }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

// Text that needs escaping (or a UTF-8 check) is left to json::dump. Bytes
// that are not UTF-8 (an environment variable can hold any) are hashed as
// U+FFFD, as the plan prints them, rather than aborting the compile.
void add_string(Fnv1a& h, std::string_view s) {
  if (!dumps_verbatim(s)) {
    h.add(json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace));
    return;
  }
  h.add('"');
  h.add(s);
  h.add('"');
}

// Feeds exactly the bytes value.dump() would print.
template <class Int>
void add_int(Fnv1a& h, Int v) {
  fmt::format_int digits(v);
  h.add(std::string_view(digits.data(), digits.size()));
}

void add_value(Fnv1a& h, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      h.add('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) h.add(',');
        first = false;
        add_string(h, key);
        h.add(':');
        add_value(h, member);
      }
      h.add('}');
      return;
    }
    case json::value_t::array: {
      h.add('[');
      bool first = true;
      for (const json& element : value) {
        if (!first) h.add(',');
        first = false;
        add_value(h, element);
      }
      h.add(']');
      return;
    }
    case json::value_t::string: add_string(h, value.get_ref<const std::string&>()); return;
    case json::value_t::boolean: h.add(value.get<bool>() ? "true" : "false"); return;
    case json::value_t::null: h.add("null"); return;
    case json::value_t::number_integer: add_int(h, value.get<std::int64_t>()); return;
    case json::value_t::number_unsigned: add_int(h, value.get<std::uint64_t>()); return;
    default: h.add(value.dump()); return;  // floats, binary: not in plans
  }
}

// What follows feeds the bytes plan_json.cc's group_json settings print as,
// straight from the model: members in the order nlohmann's std::map keeps
// them (byte order of the keys), values as json::dump writes them.

void add_bool(Fnv1a& h, bool b) { h.add(b ? "true" : "false"); }
void add_opt_int(Fnv1a& h, const std::optional<std::int64_t>& v) {
  if (v) add_int(h, *v);
  else h.add("null");
}
void add_opt_string(Fnv1a& h, const std::optional<std::string>& s) {
  if (s) add_string(h, *s);
  else h.add("null");
}

template <class T, class AddOne>
void add_array(Fnv1a& h, const std::vector<T>& items, AddOne add_one) {
  h.add('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) h.add(',');
    add_one(h, items[i]);
  }
  h.add(']');
}

// Members are fed in the order given, which must be the keys' byte order.
class ObjectFeed {
 public:
  explicit ObjectFeed(Fnv1a& h) : h_(h) { h_.add('{'); }
  Fnv1a& key(std::string_view name, std::string_view suffix = {}) {
    if (!first_) h_.add(',');
    first_ = false;
    h_.add('"');
    h_.add(name);
    h_.add(suffix);
    h_.add("\":");
    return h_;
  }
  void close() { h_.add('}'); }

 private:
  Fnv1a& h_;
  bool first_ = true;
};

// env_object: a map filled in list order, so keys sorted, the last value of
// a repeated key kept.
void add_env(Fnv1a& h, const model::EnvList& env) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(env.size());
  for (const auto& kv : env) sorted.push_back(&kv);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  h.add('{');
  bool first = true;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < sorted.size() && sorted[i + 1]->first == sorted[i]->first) continue;
    if (!first) h.add(',');
    first = false;
    add_string(h, sorted[i]->first);
    h.add(':');
    add_string(h, sorted[i]->second);
  }
  h.add('}');
}

void add_logfile(Fnv1a& h, const model::LogChannel& c) {
  switch (c.kind) {
    case model::LogChannel::Kind::kNone: h.add("null"); return;
    case model::LogChannel::Kind::kAuto: h.add("\"AUTO\""); return;
    case model::LogChannel::Kind::kPath: add_string(h, c.path); return;
  }
}

void add_channel(ObjectFeed& o, std::string_view ch, const model::LogChannel& c) {
  add_int(o.key(ch, "_capture_maxbytes"), c.capture_maxbytes);
  add_bool(o.key(ch, "_events_enabled"), c.events_enabled);
  add_logfile(o.key(ch, "_logfile"), c);
  add_int(o.key(ch, "_logfile_backups"), c.backups);
  add_int(o.key(ch, "_logfile_maxbytes"), c.maxbytes);
  add_bool(o.key(ch, "_syslog"), c.syslog);
}

void add_autorestart(Fnv1a& h, model::Autorestart a) {
  if (a == model::Autorestart::kUnexpected) h.add("\"unexpected\"");
  else add_bool(h, a == model::Autorestart::kTrue);
}

void add_process(Fnv1a& h, const model::ProcessConfig& p) {
  ObjectFeed o(h);
  add_autorestart(o.key("autorestart"), p.autorestart);
  add_bool(o.key("autostart"), p.autostart);
  add_string(o.key("command"), p.command);
  add_opt_string(o.key("directory"), p.directory);
  add_env(o.key("environment"), p.environment);
  add_array(o.key("exitcodes"), p.exitcodes, [](Fnv1a& x, int c) { add_int(x, c); });
  add_bool(o.key("killasgroup"), p.killasgroup);
  add_string(o.key("name"), p.name);
  add_int(o.key("priority"), p.priority);
  add_bool(o.key("redirect_stderr"), p.redirect_stderr);
  add_string(o.key("section"), p.section);
  add_opt_string(o.key("serverurl"), p.serverurl);
  add_int(o.key("startretries"), p.startretries);
  add_int(o.key("startsecs"), p.startsecs);
  add_channel(o, "stderr", p.stderr_log);
  add_channel(o, "stdout", p.stdout_log);
  add_bool(o.key("stopasgroup"), p.stopasgroup);
  add_opt_string(o.key("stopsignal"), model::signal_name(p.stopsignal));
  add_int(o.key("stopsignal_number"), p.stopsignal);
  add_int(o.key("stopwaitsecs"), p.stopwaitsecs);
  add_opt_int(o.key("uid"), p.uid);
  add_opt_int(o.key("umask"), p.umask);
  add_opt_string(o.key("user"), p.user);
  o.close();
}

void add_socket_owner(Fnv1a& h, const std::optional<std::pair<std::int64_t, std::int64_t>>& owner) {
  if (!owner) return h.add("null");
  h.add('[');
  add_int(h, owner->first);
  h.add(',');
  add_int(h, owner->second);
  h.add(']');
}

const char* type_name(model::GroupConfig::Type t) {
  switch (t) {
    case model::GroupConfig::Type::kProcess: return "process";
    case model::GroupConfig::Type::kEventListener: return "eventlistener";
    case model::GroupConfig::Type::kFcgi: return "fcgi";
  }
  return "process";
}

}  // namespace

std::string settings_hash(const json& settings) {
  Fnv1a h;
  add_value(h, settings);
  return fmt::format("{:016x}", h.value());
}

std::string group_hash(const json& group) {
  json copy = group;
  copy.erase("hash");
  copy.erase("source");
  for (auto& p : copy["processes"]) p.erase("source");
  return settings_hash(copy);
}

std::string group_hash(const model::GroupConfig& g) {
  using Type = model::GroupConfig::Type;
  const bool pool = g.type == Type::kEventListener, fcgi = g.type == Type::kFcgi;
  auto add_name = [](Fnv1a& h, const std::string& s) { add_string(h, s); };
  Fnv1a h;
  ObjectFeed o(h);
  if (pool) add_int(o.key("buffer_size"), g.buffer_size);
  add_array(o.key("depends_on"), g.depends_on, add_name);
  if (pool) add_array(o.key("events"), g.events, add_name);
  add_string(o.key("name"), g.name);
  add_int(o.key("priority"), g.priority);
  add_array(o.key("processes"), g.processes, add_process);
  if (pool) add_string(o.key("result_handler"), g.result_handler);
  if (fcgi) {
    add_string(o.key("socket"), g.socket.url);
    add_opt_int(o.key("socket_backlog"), g.socket.backlog);
    add_opt_int(o.key("socket_mode"), g.socket.mode);
    add_socket_owner(o.key("socket_owner"), g.socket.owner);
  }
  add_string(o.key("type"), type_name(g.type));
  o.close();
  return fmt::format("{:016x}", h.value());
}

}  // namespace proctor::plan

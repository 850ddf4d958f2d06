// plan_text must print exactly what dump_plan(to_json()) prints, whatever
// the number of threads, and refuse a plan that breaks the schema; the
// group hash it relies on must equal FNV-1a of the compact dump.

#include "compiler/plan/plan_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "compiler/plan/plan_json.h"
#include "compiler/plan/plan_printer.h"

namespace {

using nlohmann::json;
using proctor::SourceManager;
using proctor::model::Config;
using proctor::model::GroupConfig;
using proctor::model::ProcessConfig;

// More groups than one batch holds, of every type, with text that needs
// escaping (quotes, control characters, non-ASCII).
Config sample_config(std::size_t groups) {
  Config c;
  c.configfile = "/etc/supervisord.conf";
  c.supervisord.loglevel = "info";
  for (std::size_t i = 0; i < groups; ++i) {
    GroupConfig g;
    g.name = fmt::format("g{}", i);
    g.priority = static_cast<std::int64_t>(i % 7) - 3;
    g.source = {{0, static_cast<std::uint32_t>(i + 1), 1}, 3};
    for (std::size_t k = 0; k <= i % 3; ++k) {
      ProcessConfig p;
      p.section = "program:" + g.name;
      p.name = fmt::format("{}_{}", g.name, k);
      p.command = i % 5 == 0 ? "/bin/echo \"caf\xC3\xA9\"\t\x01" : "/bin/sleep 1";
      p.exitcodes = {0, 2};
      p.environment = {{"A", "1"}, {"\xE2\x82\xAC", "euro"}};
      p.source = g.source;
      g.processes.push_back(p);
    }
    if (i % 4 == 1) {
      g.type = GroupConfig::Type::kEventListener;
      g.events = {"PROCESS_STATE"};
      g.result_handler = "supervisor.dispatchers:default_handler";
    } else if (i % 4 == 2) {
      g.type = GroupConfig::Type::kFcgi;
      g.socket.url = "unix:///tmp/fcgi.sock";
    }
    c.groups.push_back(g);
  }
  return c;
}

std::string joined(const proctor::plan::PlanText& t) {
  std::string out;
  for (const auto& chunk : t.chunks) out += chunk;
  return out;
}

TEST(PlanText, MatchesTheTreeForAnyThreadCount) {
  SourceManager sm;
  sm.add("/etc/supervisord.conf", "[supervisord]\n");
  for (std::size_t groups : {0u, 1u, 300u}) {
    Config c = sample_config(groups);
    const std::string expected = proctor::plan::dump_plan(proctor::plan::to_json(c, sm));
    for (unsigned threads : {1u, 2u, 5u}) {
      auto text = proctor::plan::plan_text(c, sm, threads);
      EXPECT_TRUE(text.violations.empty()) << text.violations.front().json_pointer;
      EXPECT_EQ(joined(text), expected) << groups << " groups, " << threads << " threads";
    }
  }
}

TEST(PlanText, RefusesAPlanThatBreaksTheSchema) {
  SourceManager sm;
  Config c = sample_config(300);
  c.groups[258].socket.url = "bogus";  // fcgi: must start unix:// or tcp://
  auto text = proctor::plan::plan_text(c, sm, 2);
  EXPECT_TRUE(text.chunks.empty());
  ASSERT_EQ(text.violations.size(), 1u);
  EXPECT_EQ(text.violations[0].json_pointer, "/groups/258/socket");
}

TEST(PlanPrinter, PrintsWhatDumpPrints) {
  const json samples[] = {
      json::object(), json::array(), nullptr, 1.5, -7, std::uint64_t{18446744073709551615ull},
      {{"b", {1, -2, nullptr, true, false, json::array(), json::object()}}, {"a", "x"}},
      {{"quote\"back\\slash", "tab\there\nnl\x01\x1f\x7f"}},
      {{"caf\xC3\xA9", "\xE2\x82\xAC \xF0\x9F\x98\x80 bad \xFF\xC3"}},
      {{"nested", {{"k", {{{"deep", {1, 2}}}}}}}},
  };
  for (const json& j : samples) {
    const std::string expected = proctor::plan::dump_plan_value(j);
    std::string flat;
    proctor::plan::append_plan_value(flat, j, 0);
    EXPECT_EQ(flat, expected);
    std::string nested = "x";
    proctor::plan::append_plan_value(nested, j, 4);
    std::string reindented = "x";
    for (char c : expected) reindented += c == '\n' ? std::string("\n    ") : std::string(1, c);
    EXPECT_EQ(nested, reindented);
  }
}

std::string fnv_of_dump(const json& j) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : j.dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

TEST(GroupHash, IsFnvOfTheCompactDump) {
  const json samples[] = {
      json::object(),
      {{"b", {1, -2, nullptr, true, false}}, {"a", "x"}},
      {{"quote\"back\\slash", "tab\there\nnl\x01\x1f\x7f"}},
      {{"unicode", "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"}},
      {{"big", std::uint64_t{18446744073709551615ull}}, {"small", INT64_MIN}},
      {{"nested", {{"k", json::array()}, {"o", json::object()}}}},
  };
  for (const json& j : samples) EXPECT_EQ(proctor::plan::settings_hash(j), fnv_of_dump(j)) << j.dump();
}

// %(ENV_X)s can bring any bytes into a plan; the plan prints them as
// U+FFFD and the hash must not throw on them.
TEST(GroupHash, HashesInvalidUtf8AsReplacementCharacter) {
  const json bad = {{"command", "/bin/echo \xFF\xFE"}};
  const json replaced = {{"command", "/bin/echo \xEF\xBF\xBD\xEF\xBF\xBD"}};
  EXPECT_EQ(proctor::plan::settings_hash(bad), fnv_of_dump(replaced));
}

}  // namespace

// compiler/graph/start_order: Supervisor's group order, bent only as far as
// depends_on requires, reversed for stopping; cycles reported, not looped on.

#include "compiler/graph/start_order.h"

#include <gtest/gtest.h>

namespace proctor::graph {
namespace {

OrderGroup group(std::string name, std::int64_t priority, std::vector<std::string> needs = {}) {
  return {name, "process", priority, {{name + "_0", 1}, {name + "_1", 1}}, std::move(needs)};
}

std::vector<std::string> names(const std::vector<OrderStep>& steps) {
  std::vector<std::string> out;
  for (const auto& s : steps) out.push_back(s.group);
  return out;
}

TEST(StartOrder, WithoutDependenciesKeepsPriorityOrder) {
  auto o = compute_start_order({group("a", 1), group("b", 5), group("c", 5)});
  EXPECT_EQ(names(o.start), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(names(o.stop), (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_TRUE(o.cycles.empty());
}

TEST(StartOrder, StopReversesProcessesToo) {
  auto o = compute_start_order({group("a", 1)});
  EXPECT_EQ(o.start[0].processes, (std::vector<std::string>{"a_0", "a_1"}));
  EXPECT_EQ(o.stop[0].processes, (std::vector<std::string>{"a_1", "a_0"}));
}

TEST(StartOrder, StopGoesByProcessPriorityHighestFirst) {
  // A [group:x] keeps its programs' order for starting; stopping sorts.
  OrderGroup g{"jobs", "process", 1, {{"report", 2}, {"cleanup", 1}, {"archive", 2}}, {}};
  auto o = compute_start_order({g});
  EXPECT_EQ(o.start[0].processes, (std::vector<std::string>{"report", "cleanup", "archive"}));
  EXPECT_EQ(o.stop[0].processes, (std::vector<std::string>{"archive", "report", "cleanup"}));
}

TEST(StartOrder, DependencyHoldsAGroupBackAndNoMore) {
  // a needs c: b may still go before c, and a goes right after c.
  auto o = compute_start_order({group("a", 1, {"c"}), group("b", 2), group("c", 3), group("d", 4)});
  EXPECT_EQ(names(o.start), (std::vector<std::string>{"b", "c", "a", "d"}));
  EXPECT_EQ(o.start[2].after, (std::vector<std::string>{"c"}));
  EXPECT_FALSE(o.start[2].cycle);
  // Stopping: a (the dependent) before c; c waits for a.
  EXPECT_EQ(names(o.stop), (std::vector<std::string>{"d", "a", "c", "b"}));
  EXPECT_EQ(o.stop[2].after, (std::vector<std::string>{"a"}));
}

TEST(StartOrder, ChainOfEqualPriorities) {
  auto o = compute_start_order({group("cache", 999, {"db"}), group("db", 999), group("web", 999, {"cache"})});
  EXPECT_EQ(names(o.start), (std::vector<std::string>{"db", "cache", "web"}));
}

TEST(StartOrder, UnknownAndSelfNeedsAreIgnored) {
  auto o = compute_start_order({group("a", 1, {"a", "ghost"}), group("b", 2)});
  EXPECT_EQ(names(o.start), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(o.start[0].after.empty());
  EXPECT_TRUE(o.cycles.empty());
}

TEST(StartOrder, CycleIsBrokenInPriorityOrderAndReported) {
  auto o = compute_start_order({group("q", 10, {"w"}), group("w", 20, {"q", "s"}), group("s", 30)});
  EXPECT_EQ(names(o.start), (std::vector<std::string>{"s", "q", "w"}));
  EXPECT_TRUE(o.start[1].cycle);
  EXPECT_FALSE(o.start[2].cycle);
  ASSERT_EQ(o.cycles.size(), 1u);
  EXPECT_EQ(o.cycles[0], (std::vector<std::string>{"q", "w"}));
}

TEST(StartOrder, EveryGroupAppearsOnceEvenWhenAllWaitOnEachOther) {
  auto o = compute_start_order({group("a", 1, {"c"}), group("b", 2, {"a"}), group("c", 3, {"b"})});
  EXPECT_EQ(names(o.start), (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(o.cycles.size(), 1u);
  EXPECT_EQ(o.cycles[0], (std::vector<std::string>{"a", "b", "c"}));
}

TEST(FindCycles, SelfLoopsAndComponents) {
  DependencyMap g{{"a", {"a"}}, {"b", {"c"}}, {"c", {"b", "d"}}, {"d", {}}};
  EXPECT_EQ(find_cycles(g), (std::vector<std::vector<std::string>>{{"a"}, {"b", "c"}}));
}

TEST(OrderText, NamesTypesAndWaits) {
  std::vector<OrderGroup> groups = {{"crashmail", "eventlistener", -1, {{"crashmail", -1}}, {}},
                                    {"clock", "process", 10, {{"clock", 10}}, {}},
                                    {"web", "process", 20, {{"web_8001", 20}, {"web_8002", 20}}, {"clock"}}};
  EXPECT_EQ(order_text(compute_start_order(groups)),
            "start order:\n"
            "  1. [priority -1] eventlistener crashmail: crashmail\n"
            "  2. [priority 10] clock: clock\n"
            "  3. [priority 20] web: web_8001, web_8002   (after clock)\n"
            "stop order:\n"
            "  1. [priority 20] web: web_8002, web_8001\n"
            "  2. [priority 10] clock: clock   (after web)\n"
            "  3. [priority -1] eventlistener crashmail: crashmail\n");
}

}  // namespace
}  // namespace proctor::graph

// Supervisor's process lifecycle, driven with a fake clock: every test feeds
// events and checks states and effects, as process.py would behave.

#include <gtest/gtest.h>

#include <csignal>

#include "runtime/core/process_fsm.h"

namespace proctor::runtime {
namespace {

ProcessSpec spec() {
  ProcessSpec s;
  s.name = "web";
  s.group = "web";
  s.command = "/bin/sleep 100";
  s.startsecs = 1;
  s.startretries = 3;
  s.stopwaitsecs = 10;
  return s;
}

bool has(const Effects& e, Effect::Kind k) {
  for (const auto& x : e)
    if (x.kind == k) return true;
  return false;
}

const Effect* find(const Effects& e, Effect::Kind k) {
  for (const auto& x : e)
    if (x.kind == k) return &x;
  return nullptr;
}

TEST(ProcessFsm, AutostartSpawnsThenRunningAfterStartsecs) {
  ProcessFsm p(spec());
  Effects e = p.tick(100.0, false);
  EXPECT_TRUE(has(e, Effect::Kind::kSpawn));
  EXPECT_EQ(p.state(), ProcessState::kStarting);
  p.spawned(100.0, 42);
  EXPECT_EQ(p.pid(), 42);
  EXPECT_EQ(*p.next_deadline(), 101.0);
  p.tick(101.0, false);  // not strictly more than startsecs yet
  EXPECT_EQ(p.state(), ProcessState::kStarting);
  p.tick(101.001, false);
  EXPECT_EQ(p.state(), ProcessState::kRunning);
}

TEST(ProcessFsm, NoAutostartStaysStopped) {
  ProcessSpec s = spec();
  s.autostart = false;
  ProcessFsm p(s);
  EXPECT_TRUE(p.tick(1.0, false).empty());
  EXPECT_EQ(p.state(), ProcessState::kStopped);
}

TEST(ProcessFsm, QuickExitsBackOffWithGrowingDelayThenFatal) {
  ProcessFsm p(spec());
  double now = 10;
  p.tick(now, false);
  for (int attempt = 1; attempt <= 4; ++attempt) {
    p.spawned(now, 100 + attempt);
    p.exited(now + 0.1, 1, "exit status 1");
    EXPECT_EQ(p.backoff(), attempt);
    if (attempt <= 3) {
      EXPECT_EQ(p.state(), ProcessState::kBackoff);
      EXPECT_EQ(*p.next_deadline(), now + 0.1 + attempt);  // delay grows by one second per try
      EXPECT_TRUE(p.tick(now + 0.1 + attempt - 0.01, false).empty());
      now = now + 0.1 + attempt + 0.01;
      Effects e = p.tick(now, false);
      EXPECT_TRUE(has(e, Effect::Kind::kSpawn));
    }
  }
  p.tick(now + 10, false);
  EXPECT_EQ(p.state(), ProcessState::kFatal);
  EXPECT_EQ(p.spawnerr(), "Exited too quickly (process log may have details)");
}

TEST(ProcessFsm, AutorestartUnexpectedRespectsExitcodes) {
  ProcessSpec s = spec();
  s.exitcodes = {0, 2};
  ProcessFsm p(s);
  p.tick(0, false);
  p.spawned(0, 7);
  p.tick(2, false);
  ASSERT_EQ(p.state(), ProcessState::kRunning);
  Effects e = p.exited(5, 2, "exit status 2");
  EXPECT_EQ(p.state(), ProcessState::kExited);
  EXPECT_TRUE(find(e, Effect::Kind::kStateChange)->expected);
  EXPECT_TRUE(p.tick(6, false).empty());  // expected exit: no restart
  p.start(7);
  p.spawned(7, 8);
  p.tick(9, false);
  p.exited(10, 1, "exit status 1");
  EXPECT_EQ(p.spawnerr(), "Bad exit code 1");
  EXPECT_TRUE(has(p.tick(10, false), Effect::Kind::kSpawn));
}

TEST(ProcessFsm, AutorestartFalseNeverRestarts) {
  ProcessSpec s = spec();
  s.autorestart = Autorestart::kFalse;
  ProcessFsm p(s);
  p.tick(0, false);
  p.spawned(0, 7);
  p.tick(2, false);
  p.exited(5, 1, "exit status 1");
  EXPECT_FALSE(has(p.tick(6, false), Effect::Kind::kSpawn));
}

TEST(ProcessFsm, StopSendsStopsignalThenSigkillAfterStopwaitsecs) {
  ProcessSpec s = spec();
  s.stopsignal = SIGINT;
  ProcessFsm p(s);
  p.tick(0, false);
  p.spawned(0, 9);
  p.tick(2, false);
  Effects e = p.stop(3);
  EXPECT_EQ(p.state(), ProcessState::kStopping);
  EXPECT_EQ(find(e, Effect::Kind::kSignal)->signal, SIGINT);
  EXPECT_EQ(find(e, Effect::Kind::kSignal)->pid, 9);
  EXPECT_FALSE(has(p.tick(12.9, false), Effect::Kind::kSignal));
  Effects k = p.tick(13, false);
  ASSERT_TRUE(has(k, Effect::Kind::kSignal));
  EXPECT_EQ(find(k, Effect::Kind::kSignal)->signal, SIGKILL);
  p.exited(13.1, -1, "terminated by SIGKILL");
  EXPECT_EQ(p.state(), ProcessState::kStopped);
  EXPECT_FALSE(has(p.tick(20, false), Effect::Kind::kSpawn));  // a stopped process stays stopped
}

TEST(ProcessFsm, StopAsGroupSignalsTheProcessGroup) {
  ProcessSpec s = spec();
  s.stopasgroup = s.killasgroup = true;
  ProcessFsm p(s);
  p.tick(0, false);
  p.spawned(0, 9);
  EXPECT_EQ(find(p.stop(1), Effect::Kind::kSignal)->pid, -9);
  EXPECT_EQ(find(p.tick(20, false), Effect::Kind::kSignal)->pid, -9);
}

TEST(ProcessFsm, StopDuringBackoffGoesStraightToStopped) {
  ProcessFsm p(spec());
  p.tick(0, false);
  p.spawned(0, 5);
  p.exited(0.2, 1, "exit status 1");
  ASSERT_EQ(p.state(), ProcessState::kBackoff);
  EXPECT_FALSE(has(p.stop(0.3), Effect::Kind::kSignal));
  EXPECT_EQ(p.state(), ProcessState::kStopped);
}

TEST(ProcessFsm, SpawnFailureBacksOff) {
  ProcessFsm p(spec());
  p.tick(0, false);
  p.spawn_failed(0, "can't find command 'nope'");
  EXPECT_EQ(p.state(), ProcessState::kBackoff);
  EXPECT_EQ(p.spawnerr(), "can't find command 'nope'");
}

// PROCESS_STATE events need the pid and tries as Supervisor renders them:
// BACKOFF counts the failed try before the event, EXITED keeps the old pid.
TEST(ProcessFsm, StateChangesCarryPidAndTries) {
  ProcessFsm p(spec());
  Effects e = p.tick(0, false);
  ASSERT_NE(find(e, Effect::Kind::kStateChange), nullptr);
  EXPECT_EQ(find(e, Effect::Kind::kStateChange)->tries, 0);
  p.spawned(0, 41);
  e = p.exited(0.5, 1, "exit status 1");  // too quickly
  const Effect* backoff = find(e, Effect::Kind::kStateChange);
  ASSERT_NE(backoff, nullptr);
  EXPECT_EQ(backoff->to, ProcessState::kBackoff);
  EXPECT_EQ(backoff->tries, 1);
  e = p.tick(2, false);  // retry
  ASSERT_NE(find(e, Effect::Kind::kStateChange), nullptr);
  EXPECT_EQ(find(e, Effect::Kind::kStateChange)->tries, 1);
  p.spawned(2, 42);
  p.tick(3.5, false);  // RUNNING
  e = p.exited(10, 1, "exit status 1");
  const Effect* exited = find(e, Effect::Kind::kStateChange);
  ASSERT_NE(exited, nullptr);
  EXPECT_EQ(exited->to, ProcessState::kExited);
  EXPECT_EQ(exited->pid, 42);
  EXPECT_FALSE(exited->expected);
}

TEST(ProcessFsm, ShutdownPreventsRestarts) {
  ProcessSpec s = spec();
  s.autorestart = Autorestart::kTrue;
  ProcessFsm p(s);
  p.tick(0, false);
  p.spawned(0, 3);
  p.tick(2, false);
  p.exited(5, 0, "exit status 0");
  EXPECT_TRUE(p.tick(6, true).empty());
}

TEST(ProcessFsm, StartsecsZeroIsRunningOnFirstTick) {
  ProcessSpec s = spec();
  s.startsecs = 0;
  ProcessFsm p(s);
  p.tick(0, false);
  p.spawned(0, 3);
  p.tick(0.0001, false);
  EXPECT_EQ(p.state(), ProcessState::kRunning);
}

}  // namespace
}  // namespace proctor::runtime

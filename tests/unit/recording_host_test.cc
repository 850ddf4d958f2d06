// RecordingHost: a compile's questions to the machine, asked again, tell
// whether compiling again could give anything new.

#include "compiler/model/recording_host.h"

#include <gtest/gtest.h>

#include "compiler/model/compile.h"
#include "tests/support/memory_host.h"

namespace proctor::model {
namespace {

using testing::MemoryHost;

constexpr const char* kConf = R"([supervisord]
logfile = /var/log/supervisord.log

[program:web]
command = /usr/bin/web --user %(ENV_WEB_USER)s
stdout_logfile = /srv/logs/web.log

[include]
files = /etc/conf.d/*.conf
)";

MemoryHost machine() {
  MemoryHost host;
  host.add_file("/etc/supervisord.conf", kConf);
  host.add_file("/etc/conf.d/db.conf", "[program:db]\ncommand = /usr/bin/db\n");
  host.add_dir("/srv/logs");
  host.set_environment({{"PATH", "/usr/bin:/bin"}, {"WEB_USER", "www"}});
  return host;
}

// Compiles the config against `host`, recording; false if it did not compile.
bool compile_recorded(const RecordingHost& recording) {
  SourceManager sm;
  DiagSink sink;
  return compile_config("/etc/supervisord.conf", recording, sm, sink).config.has_value();
}

TEST(RecordingHost, TheSameMachineGivesTheSameAnswers) {
  MemoryHost host = machine();
  RecordingHost recording(host);
  ASSERT_TRUE(compile_recorded(recording));
  EXPECT_TRUE(recording.same_answers(host));
  EXPECT_TRUE(recording.same_answers(machine()));
}

TEST(RecordingHost, AnyChangeTheCompileCouldSeeGivesADifferentAnswer) {
  MemoryHost host = machine();
  RecordingHost recording(host);
  ASSERT_TRUE(compile_recorded(recording));

  MemoryHost edited = machine();
  edited.add_file("/etc/supervisord.conf", std::string(kConf) + "\n[program:new]\ncommand = /bin/true\n");
  EXPECT_FALSE(recording.same_answers(edited));

  MemoryHost included = machine();
  included.add_file("/etc/conf.d/db.conf", "[program:db]\ncommand = /usr/bin/db --fast\n");
  EXPECT_FALSE(recording.same_answers(included));

  MemoryHost globbed = machine();
  globbed.add_file("/etc/conf.d/cache.conf", "[program:cache]\ncommand = /usr/bin/cache\n");
  EXPECT_FALSE(recording.same_answers(globbed));

  MemoryHost environment = machine();
  environment.set_environment({{"PATH", "/usr/bin:/bin"}, {"WEB_USER", "nobody"}});
  EXPECT_FALSE(recording.same_answers(environment));

  MemoryHost no_log_dir;  // /srv/logs is gone
  no_log_dir.add_file("/etc/supervisord.conf", kConf);
  no_log_dir.add_file("/etc/conf.d/db.conf", "[program:db]\ncommand = /usr/bin/db\n");
  no_log_dir.set_environment({{"PATH", "/usr/bin:/bin"}, {"WEB_USER", "www"}});
  EXPECT_FALSE(recording.same_answers(no_log_dir));
}

TEST(RecordingHost, AsksTheSameQuestionOnce) {
  MemoryHost host = machine();
  RecordingHost recording(host);
  EXPECT_EQ(recording.read_file("/etc/supervisord.conf").text, kConf);
  EXPECT_EQ(recording.read_file("/etc/supervisord.conf").text, kConf);
  EXPECT_EQ(host.read_count("/etc/supervisord.conf"), 1);
  EXPECT_FALSE(recording.read_file("/etc/missing.conf").ok);
  EXPECT_TRUE(recording.same_answers(host));
  EXPECT_EQ(host.read_count("/etc/supervisord.conf"), 2);
}

}  // namespace
}  // namespace proctor::model

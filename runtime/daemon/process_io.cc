// Starting a process and wiring its pipes to its log files, as
// Supervisor's Subprocess.spawn and its output dispatchers do.

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "runtime/daemon/daemon.h"
#include "runtime/exec/spawner.h"

extern char** environ;

namespace proctor::daemon {

namespace exec = runtime::exec;

using runtime::ProcessFsm;
using nlohmann::json;

namespace {

std::optional<std::string> env_value(const runtime::ProcessSpec& s, const std::string& key) {
  for (const auto& [k, v] : s.environment)
    if (k == key) return v;
  return std::nullopt;
}

// get_autochildlog_name: mkstemp in childlogdir, NAME-CHANNEL---IDENT-XXXXXX.log.
std::string auto_log_name(const std::string& dir, const std::string& name, const char* channel,
                          const std::string& ident) {
  std::string templ = fmt::format("{}/{}-{}---{}-XXXXXX.log", dir, name, channel, ident);
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  int fd = ::mkstemps(buf.data(), 4);
  if (fd < 0) return "";
  ::close(fd);
  return buf.data();
}

}  // namespace

ProcessIo& Daemon::io(const ProcessFsm& p) { return io_[&p]; }

void Daemon::resolve_logs(ProcessFsm& p) {
  ProcessIo& pio = io(p);
  const json& s = plan_.at("supervisord");
  std::string dir = s.value("childlogdir", "/tmp");
  auto resolve = [&](const runtime::LogSpec& spec, const char* channel) -> std::string {
    if (!spec.file) return "";
    if (*spec.file == "AUTO") return auto_log_name(dir, p.spec().name, channel, identifier());
    return *spec.file;
  };
  pio.stdout_path = resolve(p.spec().stdout_log, "stdout");
  pio.stderr_path = p.spec().redirect_stderr ? "" : resolve(p.spec().stderr_log, "stderr");
  auto open = [&](const std::string& path, const runtime::LogSpec& spec) -> std::unique_ptr<logs::RotatingFile> {
    if (path.empty()) return nullptr;
    auto f = logs::RotatingFile::open(path, spec.maxbytes, static_cast<int>(spec.backups));
    if (!f) {
      log("error", fmt::format("cannot open log {} for {}: {}", path, p.spec().name, f.error()));
      return nullptr;
    }
    return std::make_unique<logs::RotatingFile>(std::move(f.value()));
  };
  pio.stdout_log = open(pio.stdout_path, p.spec().stdout_log);
  pio.stderr_log = open(pio.stderr_path, p.spec().stderr_log);
}

std::string Daemon::log_path(const ProcessFsm& p, Channel c) const {
  auto it = io_.find(&p);
  if (it == io_.end()) return "";
  return c == Channel::kStdout ? it->second.stdout_path : it->second.stderr_path;
}

std::optional<std::pair<int, std::string>> Daemon::check_command(const ProcessFsm& p) {
  auto path = exec::search_path(env_value(p.spec(), "PATH"), std::getenv("PATH"));
  auto r = exec::resolve_command(p.spec().command, path, exec::host_stat);
  if (r) return std::nullopt;
  bool missing = r.error().starts_with("can't find command");
  return std::pair{missing ? 20 : 21, r.error()};  // NO_FILE : NOT_EXECUTABLE
}

// The child's environment: supervisord's own, the SUPERVISOR_* variables,
// then the process's environment on top (process.py _spawn_as_child).
std::vector<std::string> child_environment(const runtime::ProcessSpec& s, const json& plan) {
  std::vector<std::pair<std::string, std::string>> env;
  auto set = [&](const std::string& k, const std::string& v) {
    for (auto& kv : env)
      if (kv.first == k) {
        kv.second = v;
        return;
      }
    env.emplace_back(k, v);
  };
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos) set(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  set("SUPERVISOR_ENABLED", "1");
  std::optional<std::string> url = s.serverurl;
  if (!url && plan.contains("serverurl") && plan["serverurl"].is_string()) url = plan["serverurl"].get<std::string>();
  if (url) set("SUPERVISOR_SERVER_URL", *url);
  set("SUPERVISOR_PROCESS_NAME", s.name);
  set("SUPERVISOR_GROUP_NAME", s.group);
  for (const auto& [k, v] : s.environment) set(k, v);
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

void Daemon::spawn(ProcessFsm& p) {
  const runtime::ProcessSpec& s = p.spec();
  auto path = exec::search_path(env_value(s, "PATH"), std::getenv("PATH"));
  auto resolved = exec::resolve_command(s.command, path, exec::host_stat);
  auto fail = [&](const std::string& why) {
    runtime::TaggedEffects t;
    for (auto& e : p.spawn_failed(now(), why)) t.push_back({&p, e});
    execute(t);
  };
  if (!resolved) return fail(resolved.error());
  exec::SpawnRequest req;
  req.process_name = s.name;
  req.filename = resolved->filename;
  req.argv = resolved->argv;
  req.envp = child_environment(s, plan_);
  req.directory = s.directory;
  if (s.umask) req.umask = static_cast<mode_t>(*s.umask);
  if (s.uid && static_cast<uid_t>(*s.uid) != ::geteuid()) req.uid = static_cast<uid_t>(*s.uid);
  req.redirect_stderr = s.redirect_stderr;
  auto child = exec::spawn_child(req);
  if (!child) return fail(child.error());
  ProcessIo& pio = io(p);
  pio.stdin_fd = child->stdin_fd;
  process_spawned(p, child->stdin_fd);
  const int pid = child->pid;
  // A previous run's readers stay open until they have drained their pipe,
  // so no output is lost when a process restarts.
  auto reader = [&](int fd, logs::RotatingFile* file, int channel) {
    if (fd < 0) return;
    logs::ChannelOptions o;
    // In capture mode the log only gets what is not captured, and escapes
    // are stripped after the tokens are found (output_read).
    auto capture = capture_for(p, channel);
    o.log = capture ? nullptr : file;
    o.strip_ansi = !capture && plan_.at("supervisord").value("strip_ansi", false);
    o.on_data = [this, &p, channel, pid, capture, file](std::string_view chunk) {
      output_read(p, channel, pid, chunk, capture.get(), file);
    };
    auto self = std::make_shared<logs::ChannelReader*>(nullptr);
    o.on_eof = [this, &p, self](int) {
      io(p).readers.erase(*self);
      (*self)->close();
    };
    if (auto r = logs::ChannelReader::start(&loop_, fd, std::move(o))) {
      *self = *r;
      pio.readers.insert(*r);
    }
  };
  reader(child->stdout_fd, pio.stdout_log.get(), 0);
  reader(child->stderr_fd, pio.stderr_log.get(), 1);
  pids_[child->pid] = &p;
  runtime::TaggedEffects t;
  for (auto& e : p.spawned(now(), child->pid)) t.push_back({&p, e});
  execute(t);
}

// Supervisor's PInputDispatcher: what the pipe cannot take now is kept.
bool Daemon::write_stdin(ProcessFsm& p, const std::string& data) {
  ProcessIo& pio = io(p);
  return pio.stdin_writer && pio.stdin_writer->write(data);
}

void Daemon::send_to_tails(const ProcessFsm& p, int channel, std::string_view data) {
  auto& tails = io(p).tails[channel];
  for (auto it = tails.begin(); it != tails.end();)
    it = (*it)->alive() && (*it)->send_chunk(data) ? it + 1 : tails.erase(it);
}

bool Daemon::clear_process_log(ProcessFsm& p) {
  ProcessIo& pio = io(p);
  bool ok = true;
  if (pio.stdout_log) ok = pio.stdout_log->clear() == 0 && ok;
  if (pio.stderr_log) ok = pio.stderr_log->clear() == 0 && ok;
  return ok;
}

bool Daemon::clear_main_log() { return main_log_ && main_log_->clear() == 0; }

}  // namespace proctor::daemon

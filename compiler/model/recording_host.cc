#include "compiler/model/recording_host.h"

namespace proctor::model {

namespace {

bool same(const ReadResult& a, const ReadResult& b) {
  return a.ok == b.ok && a.text == b.text && a.error == b.error;
}
template <class T>
bool same(const T& a, const T& b) {
  return a == b;
}

// `question` of `host` as a function of the key its answers are kept under.
template <class R, class Arg>
auto asking(const Host& host, R (Host::*question)(Arg) const) {
  return [&host, question](const auto& key) { return (host.*question)(key); };
}
template <class R>
auto asking(const Host& host, R (Host::*question)() const) {
  return [&host, question](std::monostate) { return (host.*question)(); };
}

template <class Answers, class Ask>
typename Answers::mapped_type recall(Answers& answers, const typename Answers::key_type& key, Ask ask) {
  auto it = answers.find(key);
  if (it == answers.end()) it = answers.emplace(key, ask(key)).first;
  return it->second;
}

template <class Answers, class Ask>
bool still(const Answers& answers, Ask ask) {
  for (const auto& [key, answer] : answers)
    if (!same(ask(key), answer)) return false;
  return true;
}

}  // namespace

ReadResult RecordingHost::read_file(const std::string& path) const {
  return recall(files_, path, asking(host_, &Host::read_file));
}
bool RecordingHost::exists(const std::string& path) const {
  return recall(exists_, path, asking(host_, &Host::exists));
}
bool RecordingHost::is_dir(const std::string& path) const {
  return recall(dirs_, path, asking(host_, &Host::is_dir));
}
bool RecordingHost::is_executable(const std::string& path) const {
  return recall(executables_, path, asking(host_, &Host::is_executable));
}
std::vector<std::string> RecordingHost::glob(const std::string& pattern) const {
  return recall(globs_, pattern, asking(host_, &Host::glob));
}
std::optional<std::int64_t> RecordingHost::uid_for_name(const std::string& name) const {
  return recall(uids_by_name_, name, asking(host_, &Host::uid_for_name));
}
bool RecordingHost::uid_exists(std::int64_t uid) const { return recall(uids_, uid, asking(host_, &Host::uid_exists)); }
std::optional<std::int64_t> RecordingHost::primary_gid(std::int64_t uid) const {
  return recall(primary_gids_, uid, asking(host_, &Host::primary_gid));
}
std::optional<std::int64_t> RecordingHost::gid_for_name(const std::string& name) const {
  return recall(gids_by_name_, name, asking(host_, &Host::gid_for_name));
}
bool RecordingHost::gid_exists(std::int64_t gid) const { return recall(gids_, gid, asking(host_, &Host::gid_exists)); }
std::int64_t RecordingHost::current_uid() const { return recall(current_uid_, {}, asking(host_, &Host::current_uid)); }
std::string RecordingHost::cwd() const { return recall(cwd_, {}, asking(host_, &Host::cwd)); }
std::string RecordingHost::hostname() const { return recall(hostname_, {}, asking(host_, &Host::hostname)); }
std::string RecordingHost::temp_dir() const { return recall(temp_dir_, {}, asking(host_, &Host::temp_dir)); }
std::vector<std::pair<std::string, std::string>> RecordingHost::environment() const {
  return recall(environment_, {}, asking(host_, &Host::environment));
}

bool RecordingHost::same_answers(const Host& host) const {
  return still(files_, asking(host, &Host::read_file)) && still(exists_, asking(host, &Host::exists)) &&
         still(dirs_, asking(host, &Host::is_dir)) && still(executables_, asking(host, &Host::is_executable)) &&
         still(globs_, asking(host, &Host::glob)) && still(uids_by_name_, asking(host, &Host::uid_for_name)) &&
         still(uids_, asking(host, &Host::uid_exists)) && still(primary_gids_, asking(host, &Host::primary_gid)) &&
         still(gids_by_name_, asking(host, &Host::gid_for_name)) && still(gids_, asking(host, &Host::gid_exists)) &&
         still(current_uid_, asking(host, &Host::current_uid)) && still(cwd_, asking(host, &Host::cwd)) &&
         still(hostname_, asking(host, &Host::hostname)) && still(temp_dir_, asking(host, &Host::temp_dir)) &&
         still(environment_, asking(host, &Host::environment));
}

}  // namespace proctor::model

#pragma once
// Helpers the proctorctl command files share (controller_support.cc).

#include <csignal>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/rpc/value.h"

namespace proctor::ctl {

// supervisor.states: STOPPED, EXITED, FATAL, UNKNOWN.
bool stopped_state(int64_t s);
constexpr int64_t kRunning = 20;

std::vector<std::string> split(const std::string& s);
bool contains(const std::vector<std::string>& v, const std::string& s);
std::string make_namespec(const std::string& group, const std::string& name);
/// supervisor.options.split_namespec: (group, process or nullopt for "g:*").
std::pair<std::string, std::optional<std::string>> split_namespec(const std::string& spec);

std::string str_of(const rpc::Value* v);
int64_t int_of(const rpc::Value* v);
const rpc::Array& array_of(const rpc::Value& v);

/// Python's repr() of a str, for messages that quote one.
std::string py_repr(const std::string& s);
/// The exception class Python raises for an errno (socket.error subclasses).
const char* py_oserror_class(int err);

/// A result code supervisorctl's _startresult/_signalresult/_clearresult
/// does not know: it raises ValueError.
struct UnknownResult {
  int code;
  std::string name;
  int line;  ///< where supervisorctl.py raises it
};

std::string start_result(const std::string& name, int code);
std::string signal_result(const std::string& name, int code, const std::string& description,
                          const char* success);
std::string clear_result(const std::string& name, int code);
nlohmann::ordered_json result_json(const std::string& name, const std::string& group, int status,
                                   const std::string& description);
nlohmann::ordered_json result_json(const rpc::Value& r);

const std::map<std::string, std::vector<std::string>>& help_texts();

/// Set by on_sigint while tail -f or fg runs.
extern volatile std::sig_atomic_t g_interrupted;
void on_sigint(int);

bool confirm(const std::string& question);

}  // namespace proctor::ctl

#pragma once
// Supervisor's fault codes (supervisor/xmlrpc.py, class Faults). supervisorctl
// compares the numbers, so they must never change.

#include <string>
#include <string_view>

namespace proctor::rpc {

enum Fault : int {
  UNKNOWN_METHOD = 1,
  INCORRECT_PARAMETERS = 2,
  BAD_ARGUMENTS = 3,
  SIGNATURE_UNSUPPORTED = 4,
  SHUTDOWN_STATE = 6,
  BAD_NAME = 10,
  BAD_SIGNAL = 11,
  NO_FILE = 20,
  NOT_EXECUTABLE = 21,
  FAILED = 30,
  ABNORMAL_TERMINATION = 40,
  SPAWN_ERROR = 50,
  ALREADY_STARTED = 60,
  NOT_RUNNING = 70,
  SUCCESS = 80,
  ALREADY_ADDED = 90,
  STILL_RUNNING = 91,
  CANT_REREAD = 92,
};

/// "BAD_NAME" for 10; "UNKNOWN" for a code Supervisor does not define
/// (getFaultDescription).
const char* fault_name(int code);

/// The faultString Supervisor's RPCError carries: the fault's name, then
/// ": extra" when there is extra text ("BAD_NAME: foo").
std::string fault_text(int code, std::string_view extra = {});

}  // namespace proctor::rpc

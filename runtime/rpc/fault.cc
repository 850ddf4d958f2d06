#include "runtime/rpc/fault.h"

namespace proctor::rpc {

const char* fault_name(int code) {
  switch (code) {
    case UNKNOWN_METHOD: return "UNKNOWN_METHOD";
    case INCORRECT_PARAMETERS: return "INCORRECT_PARAMETERS";
    case BAD_ARGUMENTS: return "BAD_ARGUMENTS";
    case SIGNATURE_UNSUPPORTED: return "SIGNATURE_UNSUPPORTED";
    case SHUTDOWN_STATE: return "SHUTDOWN_STATE";
    case BAD_NAME: return "BAD_NAME";
    case BAD_SIGNAL: return "BAD_SIGNAL";
    case NO_FILE: return "NO_FILE";
    case NOT_EXECUTABLE: return "NOT_EXECUTABLE";
    case FAILED: return "FAILED";
    case ABNORMAL_TERMINATION: return "ABNORMAL_TERMINATION";
    case SPAWN_ERROR: return "SPAWN_ERROR";
    case ALREADY_STARTED: return "ALREADY_STARTED";
    case NOT_RUNNING: return "NOT_RUNNING";
    case SUCCESS: return "SUCCESS";
    case ALREADY_ADDED: return "ALREADY_ADDED";
    case STILL_RUNNING: return "STILL_RUNNING";
    case CANT_REREAD: return "CANT_REREAD";
  }
  return "UNKNOWN";
}

std::string fault_text(int code, std::string_view extra) {
  std::string text = fault_name(code);
  if (!extra.empty()) {
    text += ": ";
    text += extra;
  }
  return text;
}

}  // namespace proctor::rpc

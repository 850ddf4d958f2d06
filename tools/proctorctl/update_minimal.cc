// update --minimal: proctorctl's own update, which replaces a changed group
// process by process (proctor.updateGroupInPlace) so that only processes
// whose own settings changed restart. What supervisorctl sees is unchanged.

#include "runtime/rpc/fault.h"
#include "tools/proctorctl/controller.h"

namespace proctor::ctl {

// Asked before reloadConfig, so that against supervisord (or an older
// proctord) nothing happens rather than half an update.
bool Controller::offers_in_place_update() {
  rpc::Value methods = call("system.listMethods");
  if (const rpc::Array* names = methods.as_array())
    for (const auto& n : *names)
      if (n.as_string() && *n.as_string() == "proctor.updateGroupInPlace") return true;
  say("ERROR: the server does not offer proctor.updateGroupInPlace (is it supervisord rather than proctord?)");
  exitstatus = exit_status::kUnimplemented;
  return false;
}

// False when the daemon says a group-level setting changed: the caller then
// replaces the whole group, as update does.
bool Controller::update_in_place(const std::string& group) {
  rpc::Value applied = call("proctor.updateGroupInPlace", {group});
  return applied.as_bool().value_or(false);
}

}  // namespace proctor::ctl

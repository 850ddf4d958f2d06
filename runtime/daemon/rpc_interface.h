#pragma once
// Supervisor's XML-RPC API (rpcinterface.py and the system.* namespace of
// xmlrpc.py) over an RpcContext. A method either answers at once or returns
// a deferred result that the daemon polls after every state change, as
// Supervisor's NOT_DONE_YET callbacks are polled by its HTTP layer.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "runtime/daemon/rpc_context.h"
#include "runtime/rpc/value.h"

namespace proctor::daemon {

struct RpcError {
  int code;
  std::string text;  ///< faultString: "BAD_NAME: foo"
};
RpcError rpc_error(int code, std::string_view extra = {});

using RpcOutcome = std::variant<rpc::Value, RpcError>;
/// Polled until it returns a result.
using Deferred = std::function<std::optional<RpcOutcome>()>;

struct RpcReply {
  std::optional<RpcOutcome> now;
  Deferred later;  ///< set when `now` is empty
  static RpcReply value(rpc::Value v) { return {RpcOutcome(std::move(v)), {}}; }
  static RpcReply error(RpcError e) { return {RpcOutcome(std::move(e)), {}}; }
  static RpcReply deferred(Deferred d) { return {std::nullopt, std::move(d)}; }
};

class RpcInterface {
 public:
  explicit RpcInterface(RpcContext& ctx);
  RpcReply call(const std::string& method, const std::vector<rpc::Value>& params);
  std::vector<std::string> method_names() const;

 private:
  using Params = std::vector<rpc::Value>;
  using Method = std::function<RpcReply(const Params&)>;
  void add_process_methods();
  void add_log_methods();
  void add_config_methods();
  void add_system_methods();
  /// proctor.* extensions (proctorctl); see rpc_methods.cc.
  void add_proctor_methods();

  RpcReply start_process(const std::string& name, bool wait);
  RpcReply stop_process(const std::string& name, bool wait);
  RpcReply signal_process(const std::string& name, const rpc::Value& sig);
  /// make_allfunc: apply `one` to every process matching `pred`, collecting
  /// {name, group, status, description} results, deferred while any waits.
  RpcReply for_all(const std::vector<runtime::ProcessFsm*>& procs,
                   std::function<bool(const runtime::ProcessFsm&)> pred,
                   std::function<RpcReply(const std::string& namespec)> one);
  rpc::Value process_info(const runtime::ProcessFsm& p);
  std::vector<runtime::ProcessFsm*> all_processes(bool lexical);

  RpcContext& ctx_;
  std::map<std::string, Method> methods_;
};

}  // namespace proctor::daemon

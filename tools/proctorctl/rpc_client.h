#pragma once
// proctorctl's connection to proctord (or supervisord): XML-RPC calls over
// runtime/http's blocking client. Failures are thrown, so commands can be
// written the way supervisorctl's are (catch the faults a command handles,
// let the rest reach the command loop).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/http/http_client.h"
#include "runtime/rpc/value.h"

namespace proctor::ctl {

/// xmlrpclib.Fault.
struct RpcFault {
  int code;
  std::string text;
};

/// socket.error (err != 0), or xmlrpclib.ProtocolError (http_status != 0),
/// or a response that is not XML-RPC.
struct TransportError {
  int err = 0;
  int http_status = 0;
  std::string reason;   ///< the HTTP reason phrase for a ProtocolError
  std::string message;
};

struct ServerOptions {
  std::string serverurl = "http://localhost:9001";
  std::optional<std::string> username;
  std::optional<std::string> password;
  int timeout_ms = -1;
};

class RpcClient {
 public:
  explicit RpcClient(ServerOptions options) : options_(std::move(options)) {}
  /// Throws RpcFault or TransportError.
  rpc::Value call(const std::string& method, const std::vector<rpc::Value>& params = {});
  /// GET `path` as a stream (tail -f); throws TransportError.
  void stream(const std::string& path, const std::function<bool(std::string_view)>& on_data);
  const ServerOptions& options() const { return options_; }

 private:
  http::HttpClient& client();
  ServerOptions options_;
  std::unique_ptr<http::HttpClient> client_;
};

}  // namespace proctor::ctl

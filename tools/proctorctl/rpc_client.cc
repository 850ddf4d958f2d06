#include "tools/proctorctl/rpc_client.h"

#include <cerrno>
#include <cstring>

#include "runtime/rpc/xmlrpc_client_codec.h"

namespace proctor::ctl {

http::HttpClient& RpcClient::client() {
  if (!client_) {
    auto endpoint = http::parse_server_url(options_.serverurl);
    if (!endpoint) throw TransportError{EINVAL, 0, "", endpoint.error()};
    client_ = std::make_unique<http::HttpClient>(
        *endpoint, http::ClientOptions{options_.username, options_.password, options_.timeout_ms});
  }
  return *client_;
}

rpc::Value RpcClient::call(const std::string& method, const std::vector<rpc::Value>& params) {
  auto& c = client();
  auto response = c.request("POST", "/RPC2", "text/xml", rpc::render_method_call(method, params));
  if (!response) throw TransportError{c.error_code(), 0, "", response.error()};
  if (response->status != 200) {
    throw TransportError{0, response->status, response->reason,
                         std::to_string(response->status) + " " + response->reason};
  }
  auto parsed = rpc::parse_method_response(response->body);
  if (!parsed) throw TransportError{EPROTO, 0, "", "bad XML-RPC response: " + parsed.error()};
  if (parsed->is_fault) throw RpcFault{parsed->fault_code, parsed->fault_string};
  return parsed->value;
}

void RpcClient::stream(const std::string& path, const std::function<bool(std::string_view)>& on_data) {
  auto& c = client();
  auto response = c.stream_get(path, on_data);
  if (!response) throw TransportError{c.error_code(), 0, "", response.error()};
  if (response->status != 200) {
    throw TransportError{0, response->status, response->reason,
                         std::to_string(response->status) + " " + response->reason};
  }
}

}  // namespace proctor::ctl

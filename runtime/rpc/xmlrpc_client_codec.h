#pragma once
// The client side of XML-RPC: requests out, responses in, as Python's
// xmlrpc.client (and so supervisorctl) writes and reads them. Pure: bytes to
// values and back, no I/O. The server side is xmlrpc.h.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/expected.h"
#include "runtime/rpc/value.h"

namespace proctor::rpc {

/// A <methodCall>, byte for byte what xmlrpc.client.dumps(params, method)
/// writes (the method name is escaped like a string, which is harmless for
/// Supervisor's "namespace.method" names).
std::string render_method_call(std::string_view method, const std::vector<Value>& params);

/// A parsed <methodResponse>: a value, or a fault {faultCode, faultString}.
struct MethodResponse {
  bool is_fault = false;
  Value value;               ///< the single <param> when !is_fault
  int fault_code = 0;        ///< when is_fault
  std::string fault_string;  ///< when is_fault
};

/// Parses a <methodResponse> with the same expat-based value grammar as
/// parse_method_call (same limits: no DOCTYPE, nesting up to kMaxNesting).
/// Exactly one <param> or one <fault> holding a {faultCode: int,
/// faultString: string} struct. Defined in xmlrpc_parse.cc, which owns the
/// value parser.
Expected<MethodResponse> parse_method_response(std::string_view xml);

}  // namespace proctor::rpc

#pragma once
// XML-RPC requests in, responses out, as Supervisor's /RPC2 handler speaks
// them. Pure: bytes to values and back, no I/O. The HTTP layer limits the
// request size before the bytes get here.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/expected.h"
#include "runtime/rpc/fault.h"
#include "runtime/rpc/value.h"

namespace proctor::rpc {

/// How deeply arrays and structs may nest in a request; deeper input is
/// refused rather than risking the stack on hostile data.
inline constexpr int kMaxNesting = 64;

struct MethodCall {
  std::string method;
  std::vector<Value> params;
};

/// Parses a <methodCall> as Python's xmlrpc.client (and so supervisorctl)
/// sends it. Accepts every scalar type except dateTime.iso8601, a bare
/// <value>text</value> as a string, <i8>, <nil/> (also with a namespace
/// prefix, e.g. <ex:nil/>), a missing <params>, and any encoding expat knows.
/// Refuses DOCTYPEs (so no entity tricks), unknown elements, values that do
/// not fit their type, and nesting deeper than kMaxNesting. The error says
/// what was wrong and, for malformed XML, where.
Expected<MethodCall> parse_method_call(std::string_view xml);

/// A <methodResponse> carrying `value`, byte for byte what Supervisor sends:
/// xmlrpc.client.dumps((value,), methodresponse=True). Nil is rendered as
/// Python does with allow_none (<value><nil/></value>); Supervisor itself
/// never returns None, so RPC methods should not either.
std::string render_response(const Value& value);

/// A <methodResponse> carrying a <fault> struct {faultCode, faultString}, as
/// Supervisor sends for an RPCError. Use fault_text() for the message.
std::string render_fault(int code, std::string_view message);

/// Appends `s` escaped as xmlrpc.client.escape does: only &, < and >
/// (quotes need no escaping in element text).
void append_xml_escaped(std::string& out, std::string_view s);

/// A double as Python's repr() writes it ("0.1", "1e+16", "3.0", "inf").
std::string python_float_repr(double d);

}  // namespace proctor::rpc

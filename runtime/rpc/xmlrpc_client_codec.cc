// Rendering a <methodCall>. The value markup is exactly what render_response
// writes inside its single <param> (both follow xmlrpc.client.Marshaller), so
// it is taken from there rather than duplicating the marshaller.
#include "runtime/rpc/xmlrpc_client_codec.h"

#include <cassert>

#include "runtime/rpc/xmlrpc.h"

namespace proctor::rpc {
namespace {

constexpr std::string_view kHeader = "<?xml version='1.0'?>\n";
constexpr std::string_view kResponseHead = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n";
constexpr std::string_view kResponseTail = "</param>\n</params>\n</methodResponse>\n";

std::string value_xml(const Value& v) {
  std::string r = render_response(v);
  assert(r.size() >= kResponseHead.size() + kResponseTail.size());
  return r.substr(kResponseHead.size(), r.size() - kResponseHead.size() - kResponseTail.size());
}

}  // namespace

std::string render_method_call(std::string_view method, const std::vector<Value>& params) {
  std::string out(kHeader);
  out += "<methodCall>\n<methodName>";
  append_xml_escaped(out, method);
  out += "</methodName>\n<params>\n";
  for (const Value& p : params) {
    out += "<param>\n";
    out += value_xml(p);
    out += "</param>\n";
  }
  out += "</params>\n</methodCall>\n";
  return out;
}

}  // namespace proctor::rpc

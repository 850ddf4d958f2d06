// Rendering. Every byte follows xmlrpc.client.Marshaller (Python 3.11), which
// is what Supervisor's xmlrpc_marshal uses.
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "runtime/rpc/base64.h"
#include "runtime/rpc/xmlrpc.h"

namespace proctor::rpc {
namespace {

constexpr std::string_view kXmlHeader = "<?xml version='1.0'?>\n";
// Python's base64.encodebytes line length.
constexpr size_t kBase64Line = 76;

void render_value(std::string& out, const Value& value);

void render_struct(std::string& out, const Struct& members) {
  out += "<value><struct>\n";
  for (const auto& [name, value] : members) {
    out += "<member>\n<name>";
    append_xml_escaped(out, name);
    out += "</name>\n";
    render_value(out, value);
    out += "</member>\n";
  }
  out += "</struct></value>\n";
}

void render_value(std::string& out, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNil:
      out += "<value><nil/></value>";  // Python writes no newline here
      return;
    case Value::Kind::kBool:
      out += *value.as_bool() ? "<value><boolean>1</boolean></value>\n"
                              : "<value><boolean>0</boolean></value>\n";
      return;
    case Value::Kind::kInt:
      out += "<value><int>" + std::to_string(*value.as_int()) + "</int></value>\n";
      return;
    case Value::Kind::kDouble:
      out += "<value><double>" + python_float_repr(*value.as_double()) +
             "</double></value>\n";
      return;
    case Value::Kind::kString:
      out += "<value><string>";
      append_xml_escaped(out, *value.as_string());
      out += "</string></value>\n";
      return;
    case Value::Kind::kBytes:
      out += "<value><base64>\n" + base64_encode(value.as_bytes()->data, kBase64Line) +
             "</base64></value>\n";
      return;
    case Value::Kind::kArray:
      out += "<value><array><data>\n";
      for (const Value& item : *value.as_array()) render_value(out, item);
      out += "</data></array></value>\n";
      return;
    case Value::Kind::kStruct:
      render_struct(out, *value.as_struct());
      return;
  }
}

}  // namespace

void append_xml_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
}

std::string python_float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  // Shortest round-trip digits, then Python's layout rule (float_repr_style
  // 'short'): positional when -4 < decpt <= 16, else exponent.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  std::string sign = sci[0] == '-' ? "-" : "";
  if (!sign.empty()) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits(sci.substr(0, e));
  if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  int decpt = exponent + 1;
  int n = int(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return sign + "0." + std::string(-decpt, '0') + digits;
    if (decpt >= n) return sign + digits + std::string(decpt - n, '0') + ".0";
    return sign + digits.substr(0, decpt) + "." + digits.substr(decpt);
  }
  std::string mantissa = digits.substr(0, 1);
  if (n > 1) mantissa += "." + digits.substr(1);
  std::string exp_digits = std::to_string(std::abs(exponent));
  if (exp_digits.size() < 2) exp_digits.insert(0, "0");
  return sign + mantissa + (exponent < 0 ? "e-" : "e+") + exp_digits;
}

std::string render_response(const Value& value) {
  std::string out(kXmlHeader);
  out += "<methodResponse>\n<params>\n<param>\n";
  render_value(out, value);
  out += "</param>\n</params>\n</methodResponse>\n";
  return out;
}

std::string render_fault(int code, std::string_view message) {
  std::string out(kXmlHeader);
  out += "<methodResponse>\n<fault>\n";
  render_struct(out, Struct{{"faultCode", code}, {"faultString", std::string(message)}});
  out += "</fault>\n</methodResponse>\n";
  return out;
}

}  // namespace proctor::rpc

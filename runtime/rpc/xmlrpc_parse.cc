// Parsing. expat turns the bytes into a small element tree (bounded depth,
// no DTD), then the tree is checked against the XML-RPC grammar. Two passes
// keep the expat callbacks trivial and the grammar readable.
#include <expat.h>

#include <charconv>
#include <cstring>
#include <memory>

#include "runtime/rpc/base64.h"
#include "runtime/rpc/xmlrpc.h"
#include "runtime/rpc/xmlrpc_client_codec.h"

namespace proctor::rpc {
namespace {

// methodCall/params/param, then value/array/data per nesting level, then the
// innermost value and its scalar element.
constexpr int kMaxElementDepth = 3 + 3 * kMaxNesting + 2;

struct Node {
  std::string name;
  std::string text;  // character data directly inside this element
  std::vector<Node> children;
};

struct TreeBuilder {
  XML_Parser parser = nullptr;
  Node root;
  // Ancestors never change their child vectors while a descendant is open,
  // so these pointers stay valid.
  std::vector<Node*> open;
  std::string error;

  void fail(std::string why) {
    if (error.empty()) error = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
};

void on_start(void* data, const XML_Char* name, const XML_Char**) {
  auto* b = static_cast<TreeBuilder*>(data);
  if (int(b->open.size()) >= kMaxElementDepth) {
    return b->fail("elements nested more than " + std::to_string(kMaxElementDepth) +
                   " deep (arrays and structs may nest " +
                   std::to_string(kMaxNesting) + " levels)");
  }
  Node* parent = b->open.empty() ? nullptr : b->open.back();
  Node* node = parent ? &parent->children.emplace_back() : &b->root;
  node->name = name;
  b->open.push_back(node);
}

void on_end(void* data, const XML_Char*) { static_cast<TreeBuilder*>(data)->open.pop_back(); }

void on_text(void* data, const XML_Char* s, int len) {
  auto* b = static_cast<TreeBuilder*>(data);
  if (!b->open.empty()) b->open.back()->text.append(s, len);
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<TreeBuilder*>(data)->fail("a DOCTYPE is not allowed in XML-RPC");
}

Expected<Node> build_tree(std::string_view xml) {
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
      XML_ParserCreate(nullptr), &XML_ParserFree);
  if (!parser) return Expected<Node>::failure("out of memory creating the XML parser");
  TreeBuilder b;
  b.parser = parser.get();
  XML_SetUserData(b.parser, &b);
  XML_SetElementHandler(b.parser, on_start, on_end);
  XML_SetCharacterDataHandler(b.parser, on_text);
  XML_SetStartDoctypeDeclHandler(b.parser, on_doctype);
  XML_SetParamEntityParsing(b.parser, XML_PARAM_ENTITY_PARSING_NEVER);
  if (XML_Parse(b.parser, xml.data(), int(xml.size()), XML_TRUE) != XML_STATUS_OK) {
    if (!b.error.empty()) return Expected<Node>::failure(b.error);
    return Expected<Node>::failure(
        "malformed XML at line " + std::to_string(XML_GetCurrentLineNumber(b.parser)) +
        ", column " + std::to_string(XML_GetCurrentColumnNumber(b.parser) + 1) + ": " +
        XML_ErrorString(XML_GetErrorCode(b.parser)));
  }
  return std::move(b.root);
}

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// The element name without a namespace prefix, as xmlrpc.client reads it.
std::string_view local_name(const Node& n) {
  std::string_view name = n.name;
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

template <class T>
Expected<T> fail(std::string why) {
  return Expected<T>::failure(std::move(why));
}

/// Only elements, and whitespace between them: a container's rule.
Expected<bool> expect_elements_only(const Node& n) {
  if (!is_blank(n.text)) return fail<bool>("unexpected text inside <" + n.name + ">");
  return true;
}

Expected<bool> expect_text_only(const Node& n) {
  if (!n.children.empty()) {
    return fail<bool>("<" + n.name + "> must hold text, found <" + n.children[0].name + ">");
  }
  return true;
}

Expected<Value> parse_int(const Node& n) {
  std::string_view s = trim(n.text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  int64_t i = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return fail<Value>("<" + n.name + "> holds '" + n.text + "', not a 64-bit integer");
  }
  return Value(i);
}

Expected<Value> parse_double(const Node& n) {
  std::string_view s = trim(n.text);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  double d = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return fail<Value>("<double> holds '" + n.text + "', not a number");
  }
  return Value(d);
}

Expected<Value> parse_scalar(const Node& n, std::string_view type) {
  if (auto ok = expect_text_only(n); !ok) return fail<Value>(ok.error());
  if (type == "string") return Value(n.text);
  if (type == "int" || type == "i4" || type == "i8") return parse_int(n);
  if (type == "double") return parse_double(n);
  if (type == "boolean") {
    std::string_view s = trim(n.text);
    if (s == "0" || s == "1") return Value(s == "1");
    return fail<Value>("<boolean> holds '" + n.text + "', expected 0 or 1");
  }
  if (type == "base64") {
    auto bytes = base64_decode(n.text);
    if (!bytes) return fail<Value>("<base64> holds invalid base64");
    return Value(Bytes{std::move(*bytes)});
  }
  if (type == "nil") {
    if (!is_blank(n.text)) return fail<Value>("<nil/> must be empty");
    return Value::nil();
  }
  if (type == "dateTime.iso8601") return fail<Value>("<dateTime.iso8601> is not supported");
  return fail<Value>("unknown XML-RPC type <" + n.name + ">");
}

Expected<Value> parse_value(const Node& n, int depth);

/// One child element called `name` and nothing else.
Expected<const Node*> only_child(const Node& n, std::string_view name) {
  if (auto ok = expect_elements_only(n); !ok) return fail<const Node*>(ok.error());
  if (n.children.size() != 1 || local_name(n.children[0]) != name) {
    return fail<const Node*>("<" + n.name + "> must contain exactly one <" +
                             std::string(name) + ">");
  }
  return &n.children[0];
}

Expected<Value> parse_array(const Node& n, int depth) {
  auto data = only_child(n, "data");
  if (!data) return fail<Value>(data.error());
  if (auto ok = expect_elements_only(**data); !ok) return fail<Value>(ok.error());
  Array items;
  for (const Node& child : (*data)->children) {
    if (local_name(child) != "value") {
      return fail<Value>("<data> may hold only <value>, found <" + child.name + ">");
    }
    auto item = parse_value(child, depth);
    if (!item) return item;
    items.push_back(std::move(item.value()));
  }
  return Value(std::move(items));
}

Expected<Member> parse_member(const Node& m, int depth) {
  if (auto ok = expect_elements_only(m); !ok) return fail<Member>(ok.error());
  if (local_name(m) != "member" || m.children.size() != 2 ||
      local_name(m.children[0]) != "name" || local_name(m.children[1]) != "value") {
    return fail<Member>("<struct> members must be <member><name/><value/></member>");
  }
  if (auto ok = expect_text_only(m.children[0]); !ok) return fail<Member>(ok.error());
  auto value = parse_value(m.children[1], depth);
  if (!value) return fail<Member>(value.error());
  return Member{m.children[0].text, std::move(value.value())};
}

Expected<Value> parse_struct(const Node& n, int depth) {
  if (auto ok = expect_elements_only(n); !ok) return fail<Value>(ok.error());
  Struct members;
  for (const Node& m : n.children) {
    auto member = parse_member(m, depth);
    if (!member) return fail<Value>(member.error());
    members.push_back(std::move(member.value()));
  }
  return Value(std::move(members));
}

Expected<Value> parse_value(const Node& n, int depth) {
  if (n.children.empty()) return Value(n.text);  // <value>text</value> is a string
  if (auto ok = expect_elements_only(n); !ok) return fail<Value>(ok.error());
  if (n.children.size() != 1) return fail<Value>("<value> must hold exactly one type");
  const Node& typed = n.children[0];
  std::string_view type = local_name(typed);
  if (type != "array" && type != "struct") return parse_scalar(typed, type);
  if (depth >= kMaxNesting) {
    return fail<Value>("arrays and structs nested more than " +
                       std::to_string(kMaxNesting) + " levels");
  }
  return type == "array" ? parse_array(typed, depth + 1) : parse_struct(typed, depth + 1);
}

Expected<std::vector<Value>> parse_params(const Node& params) {
  using Params = std::vector<Value>;
  if (auto ok = expect_elements_only(params); !ok) return fail<Params>(ok.error());
  Params values;
  for (const Node& param : params.children) {
    if (local_name(param) != "param") {
      return fail<Params>("<params> may hold only <param>, found <" + param.name + ">");
    }
    auto value = only_child(param, "value");
    if (!value) return fail<Params>(value.error());
    auto parsed = parse_value(**value, 0);
    if (!parsed) return fail<Params>(parsed.error());
    values.push_back(std::move(parsed.value()));
  }
  return values;
}

}  // namespace

Expected<MethodCall> parse_method_call(std::string_view xml) {
  auto tree = build_tree(xml);
  if (!tree) return fail<MethodCall>(tree.error());
  const Node& root = *tree;
  if (local_name(root) != "methodCall") {
    return fail<MethodCall>("expected <methodCall>, found <" + root.name + ">");
  }
  if (auto ok = expect_elements_only(root); !ok) return fail<MethodCall>(ok.error());
  MethodCall call;
  bool have_name = false, have_params = false;
  for (const Node& child : root.children) {
    std::string_view name = local_name(child);
    if (name == "methodName" && !have_name) {
      if (auto ok = expect_text_only(child); !ok) return fail<MethodCall>(ok.error());
      call.method = child.text;  // untrimmed, as Supervisor reads it
      have_name = true;
    } else if (name == "params" && !have_params) {
      auto params = parse_params(child);
      if (!params) return fail<MethodCall>(params.error());
      call.params = std::move(params.value());
      have_params = true;
    } else {
      return fail<MethodCall>("unexpected <" + child.name + "> in <methodCall>");
    }
  }
  if (call.method.empty()) return fail<MethodCall>("<methodCall> has no <methodName>");
  return call;
}

// The client direction (declared in xmlrpc_client_codec.h): the same tree
// and value grammar, applied to a <methodResponse>.
Expected<MethodResponse> parse_method_response(std::string_view xml) {
  using R = MethodResponse;
  auto tree = build_tree(xml);
  if (!tree) return fail<R>(tree.error());
  const Node& root = *tree;
  if (local_name(root) != "methodResponse") {
    return fail<R>("expected <methodResponse>, found <" + root.name + ">");
  }
  if (auto ok = expect_elements_only(root); !ok) return fail<R>(ok.error());
  if (root.children.size() != 1) {
    return fail<R>("<methodResponse> must hold exactly one <params> or <fault>");
  }
  const Node& body = root.children[0];
  R out;
  if (local_name(body) == "params") {
    auto params = parse_params(body);
    if (!params) return fail<R>(params.error());
    if (params->size() != 1) return fail<R>("<params> of a response must hold exactly one <param>");
    out.value = std::move(params.value()[0]);
    return out;
  }
  if (local_name(body) != "fault") {
    return fail<R>("unexpected <" + body.name + "> in <methodResponse>");
  }
  auto value = only_child(body, "value");
  if (!value) return fail<R>(value.error());
  auto parsed = parse_value(**value, 0);
  if (!parsed) return fail<R>(parsed.error());
  const Value* code = parsed->member("faultCode");
  const Value* text = parsed->member("faultString");
  if (!code || !code->as_int() || !text || !text->as_string()) {
    return fail<R>("<fault> must hold a struct with an int faultCode and a string faultString");
  }
  out.is_fault = true;
  out.fault_code = int(*code->as_int());
  out.fault_string = *text->as_string();
  out.value = std::move(parsed.value());
  return out;
}

}  // namespace proctor::rpc

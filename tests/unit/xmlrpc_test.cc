// Requests are samples printed by /usr/bin/python3's xmlrpc.client.dumps;
// responses are checked byte for byte against the same module, both as
// literal expectations and (when python3 is installed) live.

#include "runtime/rpc/xmlrpc.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "runtime/rpc/base64.h"
#include "tests/support/command_runner.h"

namespace proctor::rpc {
namespace {

using namespace std::literals;

TEST(XmlRpcParse, PythonSampleWithNestedValues) {
  // dumps((1,'a',[True,{'x':None}]), 'supervisor.x', allow_none=True)
  auto call = parse_method_call(
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.x</methodName>\n"
      "<params>\n<param>\n<value><int>1</int></value>\n</param>\n<param>\n"
      "<value><string>a</string></value>\n</param>\n<param>\n<value><array><data>\n"
      "<value><boolean>1</boolean></value>\n<value><struct>\n<member>\n<name>x</name>\n"
      "<value><nil/></value></member>\n</struct></value>\n</data></array></value>\n"
      "</param>\n</params>\n</methodCall>\n");
  ASSERT_TRUE(call) << call.error();
  EXPECT_EQ(call->method, "supervisor.x");
  std::vector<Value> expected = {1, "a", Value::array({true, Value::structure({{"x", {}}})})};
  EXPECT_EQ(call->params, expected);
}

TEST(XmlRpcParse, NoParamsAndMissingParams) {
  auto call = parse_method_call(
      "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getState</methodName>\n"
      "<params>\n</params>\n</methodCall>\n");
  ASSERT_TRUE(call) << call.error();
  EXPECT_EQ(call->method, "supervisor.getState");
  EXPECT_TRUE(call->params.empty());
  auto bare = parse_method_call("<methodCall><methodName>a.b</methodName></methodCall>");
  ASSERT_TRUE(bare) << bare.error();
  EXPECT_TRUE(bare->params.empty());
}

Value single_param(std::string_view value_xml) {
  std::string xml = "<methodCall><methodName>m.n</methodName><params><param>" +
                    std::string(value_xml) + "</param></params></methodCall>";
  auto call = parse_method_call(xml);
  EXPECT_TRUE(call) << call.error() << " for " << value_xml;
  if (!call || call->params.size() != 1) return Value::nil();
  return call->params[0];
}

TEST(XmlRpcParse, ScalarTypes) {
  EXPECT_EQ(single_param("<value>bare text</value>"), Value("bare text"));
  EXPECT_EQ(single_param("<value></value>"), Value(""));
  EXPECT_EQ(single_param("<value><string/></value>"), Value(""));
  EXPECT_EQ(single_param("<value><i4>-7</i4></value>"), Value(-7));
  EXPECT_EQ(single_param("<value><i8>1099511627776</i8></value>"), Value(int64_t{1} << 40));
  EXPECT_EQ(single_param("<value><int> +3 </int></value>"), Value(3));
  EXPECT_EQ(single_param("<value><boolean>0</boolean></value>"), Value(false));
  EXPECT_EQ(single_param("<value><double>-1.5</double></value>"), Value(-1.5));
  EXPECT_EQ(single_param("<value><double>1e+16</double></value>"), Value(1e16));
  EXPECT_EQ(single_param("<value><base64>\nAP9oaQ==\n</base64></value>"),
            Value(Bytes{"\x00\xffhi"s}));
  EXPECT_EQ(single_param("<value><ex:nil/></value>"), Value::nil());
  EXPECT_EQ(single_param("<value>\n  <int>5</int>\n</value>"), Value(5));
}

TEST(XmlRpcParse, EntitiesAndUnicode) {
  EXPECT_EQ(single_param("<value><string>a&lt;&amp;&gt;b&#65;&#x42;&quot;&apos;</string></value>"),
            Value("a<&>bAB\"'"));
  EXPECT_EQ(single_param("<value><string><![CDATA[<x>]]></string></value>"), Value("<x>"));
  EXPECT_EQ(single_param("<value>\xc3\xa9\xe2\x82\xac</value>"), Value("\xc3\xa9\xe2\x82\xac"));
  // Latin-1 declared: expat hands us UTF-8.
  auto call = parse_method_call(
      "<?xml version='1.0' encoding='iso-8859-1'?><methodCall><methodName>m.n</methodName>"
      "<params><param><value>\xe9</value></param></params></methodCall>");
  ASSERT_TRUE(call) << call.error();
  EXPECT_EQ(call->params[0], Value("\xc3\xa9"));
}

TEST(XmlRpcParse, StructKeepsMemberOrder) {
  Value v = single_param(
      "<value><struct><member><name>b</name><value><int>1</int></value></member>"
      "<member><name>a</name><value>x</value></member></struct></value>");
  ASSERT_NE(v.as_struct(), nullptr);
  EXPECT_EQ(v.as_struct()->at(0).first, "b");
  EXPECT_EQ(v.member("a")->as_string() ? *v.member("a")->as_string() : "", "x");
  EXPECT_EQ(v.member("zz"), nullptr);
}

void expect_error(std::string_view xml, std::string_view fragment) {
  auto call = parse_method_call(xml);
  ASSERT_FALSE(call) << "accepted: " << xml;
  EXPECT_NE(call.error().find(fragment), std::string::npos)
      << "error '" << call.error() << "' lacks '" << fragment << "'";
}

std::string wrap(std::string_view value_xml) {
  return "<methodCall><methodName>m.n</methodName><params><param>" + std::string(value_xml) +
         "</param></params></methodCall>";
}

TEST(XmlRpcParse, MalformedXml) {
  expect_error("", "malformed XML at line 1");
  expect_error("<methodCall><methodName>a.b</methodName>", "malformed XML");
  expect_error("<methodCall>\n<methodName>a.b</methodNam></methodCall>", "line 2");
  expect_error("<methodCall><methodName>a&bogus;</methodName></methodCall>", "undefined entity");
  expect_error("not xml at all", "malformed XML");
}

TEST(XmlRpcParse, RefusesDoctypeAndEntityExpansion) {
  expect_error(
      "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;'>]>"
      "<methodCall><methodName>&b;</methodName></methodCall>",
      "DOCTYPE");
  expect_error(
      "<!DOCTYPE m SYSTEM 'file:///etc/passwd'><methodCall><methodName>x</methodName>"
      "</methodCall>",
      "DOCTYPE");
}

TEST(XmlRpcParse, GrammarErrors) {
  expect_error("<methodResponse/>", "expected <methodCall>");
  expect_error("<methodCall><params/></methodCall>", "no <methodName>");
  expect_error("<methodCall><methodName></methodName></methodCall>", "no <methodName>");
  expect_error("<methodCall><methodName>a</methodName><foo/></methodCall>", "unexpected <foo>");
  expect_error(wrap("<value><int>12x</int></value>"), "not a 64-bit integer");
  expect_error(wrap("<value><int>99999999999999999999</int></value>"), "not a 64-bit integer");
  expect_error(wrap("<value><boolean>true</boolean></value>"), "expected 0 or 1");
  expect_error(wrap("<value><double>1.5.2</double></value>"), "not a number");
  expect_error(wrap("<value><base64>!!</base64></value>"), "invalid base64");
  expect_error(wrap("<value><dateTime.iso8601>20240101T00:00:00</dateTime.iso8601></value>"),
               "not supported");
  expect_error(wrap("<value><float>1</float></value>"), "unknown XML-RPC type <float>");
  expect_error(wrap("<value><int>1</int><int>2</int></value>"), "exactly one type");
  expect_error(wrap("<value>x<int>1</int></value>"), "unexpected text");
  expect_error(wrap("<value><string><b/></string></value>"), "must hold text");
  expect_error(wrap("<value><array><value/></array></value>"), "exactly one <data>");
  expect_error(wrap("<value><struct><member><value/><name>a</name></member></struct></value>"),
               "members must be");
  expect_error("<methodCall><methodName>a</methodName><params><param/></params></methodCall>",
               "exactly one <value>");
}

std::string nested_arrays(int levels) {
  std::string xml;
  for (int i = 0; i < levels; ++i) xml += "<value><array><data>";
  xml += "<value><int>1</int></value>";
  for (int i = 0; i < levels; ++i) xml += "</data></array></value>";
  return wrap(xml);
}

TEST(XmlRpcParse, NestingLimit) {
  EXPECT_TRUE(parse_method_call(nested_arrays(kMaxNesting)));
  expect_error(nested_arrays(kMaxNesting + 1), "nested more than");
  expect_error(nested_arrays(100000), "nested more than");
  // Unknown elements cannot nest without bound either.
  std::string deep = "<methodCall>";
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  expect_error(deep, "nested more than");
}

TEST(XmlRpcRender, ResponseMatchesPython) {
  // dumps(({'name':'x','pid':3,'ok':False,'l':[1,[2,{'z':'w'}]]},),
  //       methodresponse=True, allow_none=True)
  Value v = Value::structure(
      {{"name", "x"}, {"pid", 3}, {"ok", false},
       {"l", Value::array({1, Value::array({2, Value::structure({{"z", "w"}})})})}});
  EXPECT_EQ(render_response(v),
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n"
            "<member>\n<name>name</name>\n<value><string>x</string></value>\n</member>\n"
            "<member>\n<name>pid</name>\n<value><int>3</int></value>\n</member>\n"
            "<member>\n<name>ok</name>\n<value><boolean>0</boolean></value>\n</member>\n"
            "<member>\n<name>l</name>\n<value><array><data>\n<value><int>1</int></value>\n"
            "<value><array><data>\n<value><int>2</int></value>\n<value><struct>\n<member>\n"
            "<name>z</name>\n<value><string>w</string></value>\n</member>\n</struct></value>\n"
            "</data></array></value>\n</data></array></value>\n</member>\n</struct></value>\n"
            "</param>\n</params>\n</methodResponse>\n");
  EXPECT_EQ(render_response(Value::nil()),
            "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><nil/></value>"
            "</param>\n</params>\n</methodResponse>\n");
}

TEST(XmlRpcRender, FaultMatchesPython) {
  // dumps(Fault(2, 'a<b'), methodresponse=True)
  EXPECT_EQ(render_fault(INCORRECT_PARAMETERS, "a<b"),
            "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n"
            "<name>faultCode</name>\n<value><int>2</int></value>\n</member>\n<member>\n"
            "<name>faultString</name>\n<value><string>a&lt;b</string></value>\n</member>\n"
            "</struct></value>\n</fault>\n</methodResponse>\n");
}

TEST(XmlRpcRender, Base64WrapsLikeEncodebytes) {
  std::string out = render_response(Value(Bytes{std::string(100, 'a')}));
  std::string line = "YWFh";
  std::string first;
  for (int i = 0; i < 19; ++i) first += line;
  EXPECT_NE(out.find("<value><base64>\n" + first + "\n"), std::string::npos) << out;
  EXPECT_EQ(render_response(Value(Bytes{})).find("<value><base64>\n</base64></value>\n") !=
                std::string::npos,
            true);
}

TEST(XmlRpcRender, PythonFloatRepr) {
  const std::pair<double, const char*> cases[] = {
      {0.0, "0.0"},        {-0.0, "-0.0"},     {1.5, "1.5"},
      {3.0, "3.0"},        {0.1, "0.1"},       {1e15, "1000000000000000.0"},
      {1e16, "1e+16"},     {1.5e300, "1.5e+300"}, {1e-4, "0.0001"},
      {1e-5, "1e-05"},     {123.456, "123.456"}, {-2.5e-7, "-2.5e-07"},
      {1.0 / 3, "0.3333333333333333"}};
  for (auto [d, text] : cases) EXPECT_EQ(python_float_repr(d), text) << d;
}

TEST(XmlRpcRender, RoundTrip) {
  Value v = Value::array({Value::nil(), true, int64_t{-1} << 40, 2.25, "a&<>\"'b",
                          Bytes{"\x00\x01\xfe"s}, Value::array({}), Value::structure({}),
                          Value::structure({{"k&", Value::array({1, "two"})}})});
  std::string response = render_response(v);
  // A response has the same <params> grammar as a call, so reuse the parser.
  std::string as_call = "<methodCall><methodName>r.t</methodName>" +
                        response.substr(response.find("<params>"));
  as_call.replace(as_call.find("</methodResponse>"), 17, "</methodCall>");
  auto call = parse_method_call(as_call);
  ASSERT_TRUE(call) << call.error();
  ASSERT_EQ(call->params.size(), 1u);
  EXPECT_EQ(call->params[0], v);
}

TEST(Fault, NamesAndText) {
  EXPECT_STREQ(fault_name(BAD_NAME), "BAD_NAME");
  EXPECT_STREQ(fault_name(CANT_REREAD), "CANT_REREAD");
  EXPECT_STREQ(fault_name(5), "UNKNOWN");
  EXPECT_EQ(fault_text(BAD_NAME, "foo"), "BAD_NAME: foo");
  EXPECT_EQ(fault_text(SHUTDOWN_STATE), "SHUTDOWN_STATE");
}

TEST(Base64, EncodeDecode) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("user:pass"), "dXNlcjpwYXNz");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm8"), "fo");
  EXPECT_EQ(base64_decode(" Zm9v\nYmFy\n"), "foobar");
  EXPECT_EQ(base64_decode("Z"), std::nullopt);
  EXPECT_EQ(base64_decode("Zm8=x"), std::nullopt);
  EXPECT_EQ(base64_decode("Zm9v!"), std::nullopt);
  EXPECT_EQ(base64_decode("Zm8=="), std::nullopt);
}

// Runs `script` (which reads the XML from the file named by sys.argv[1])
// under /usr/bin/python3 on `xml` and returns its standard output.
std::string run_python(const std::string& script, const std::string& xml) {
  auto path = std::filesystem::temp_directory_path() /
              ("proctor_xmlrpc_" + std::to_string(::getpid()) + ".xml");
  std::ofstream(path, std::ios::binary) << xml;
  std::string cmd = "/usr/bin/python3 -c \"import sys, xmlrpc.client as x\n"
                    "d = open(sys.argv[1]).read()\n" + script + "\" " + path.string();
  std::string result = proctor::testing::run_shell(cmd).out;
  std::filesystem::remove(path);
  return result;
}

// Python re-marshals what it read from our output; identical bytes prove
// both that it parses and that we write exactly what it writes.
std::string python_remarshal(const std::string& ours) {
  return run_python(
      "try:\n  p, m = x.loads(d, use_builtin_types=True)\n"
      "  out = x.dumps(p, methodresponse=True, allow_none=True)\n"
      "except x.Fault as f:\n  out = x.dumps(f, methodresponse=True)\n"
      "sys.stdout.write(out)",
      ours);
}

TEST(XmlRpcRender, PythonReadsAndRewritesOurOutputIdentically) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  const std::string outputs[] = {
      render_response(Value::structure(
          {{"name", "web"}, {"pid", 42}, {"exitstatus", -2147483647 - 1}, {"ok", true},
           {"ratio", 0.1}, {"big", 1e22}, {"none", Value::nil()}, {"text", "x<&>\xc3\xa9"},
           {"raw", Bytes{std::string(200, '\x7f')}}, {"list", Value::array({1, "a"})}})),
      render_response(Value::array({})),
      render_response("plain"),
      render_fault(BAD_NAME, fault_text(BAD_NAME, "<web>")),
  };
  for (const std::string& ours : outputs) EXPECT_EQ(python_remarshal(ours), ours);
}

// Python refuses to *write* ints beyond 32 bits but reads them; Supervisor
// never sends them, we may (e.g. byte offsets of large logs).
TEST(XmlRpcRender, PythonReadsSixtyFourBitInts) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "no /usr/bin/python3";
  EXPECT_EQ(run_python("sys.stdout.write(repr(x.loads(d)[0][0]))",
                       render_response(int64_t{1} << 40)),
            "1099511627776");
}

}  // namespace
}  // namespace proctor::rpc

// The client direction of the XML-RPC codec: requests as Python's
// xmlrpc.client.dumps writes them, responses as Supervisor sends them.

#include "runtime/rpc/xmlrpc_client_codec.h"

#include <gtest/gtest.h>

#include "runtime/http/http_client.h"
#include "runtime/rpc/xmlrpc.h"

namespace proctor::rpc {
namespace {

TEST(XmlRpcClientCodec, RendersCallLikePython) {
  // xmlrpc.client.dumps(('a<b', 3, True, 1.5, [1, 'x']), 'supervisor.startProcess')
  EXPECT_EQ(render_method_call("supervisor.startProcess",
                               {Value("a<b"), Value(3), Value(true), Value(1.5), Value::array({1, "x"})}),
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.startProcess</methodName>\n"
            "<params>\n<param>\n<value><string>a&lt;b</string></value>\n</param>\n"
            "<param>\n<value><int>3</int></value>\n</param>\n"
            "<param>\n<value><boolean>1</boolean></value>\n</param>\n"
            "<param>\n<value><double>1.5</double></value>\n</param>\n"
            "<param>\n<value><array><data>\n<value><int>1</int></value>\n"
            "<value><string>x</string></value>\n</data></array></value>\n</param>\n"
            "</params>\n</methodCall>\n");
}

TEST(XmlRpcClientCodec, RendersCallWithoutParams) {
  EXPECT_EQ(render_method_call("supervisor.getPID", {}),
            "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getPID</methodName>\n"
            "<params>\n</params>\n</methodCall>\n");
}

TEST(XmlRpcClientCodec, RenderedCallParsesBackOnTheServerSide) {
  Value s = Value::structure({{"k", Value::nil()}, {"b", Bytes{"\x01\x02"}}, {"n", int64_t(1) << 40}});
  auto call = parse_method_call(render_method_call("supervisor.x", {s, Value("é & <>")}));
  ASSERT_TRUE(call) << call.error();
  EXPECT_EQ(call->method, "supervisor.x");
  ASSERT_EQ(call->params.size(), 2u);
  EXPECT_EQ(call->params[0], s);
  EXPECT_EQ(call->params[1], Value("é & <>"));
}

TEST(XmlRpcClientCodec, ParsesTheServersResponses) {
  Value v = Value::array({Value::structure({{"name", "web"}, {"status", 80}}), 2.5, false, ""});
  auto r = parse_method_response(render_response(v));
  ASSERT_TRUE(r) << r.error();
  EXPECT_FALSE(r->is_fault);
  EXPECT_EQ(r->value, v);
}

TEST(XmlRpcClientCodec, ParsesFaults) {
  auto r = parse_method_response(render_fault(10, "BAD_NAME: foo"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_TRUE(r->is_fault);
  EXPECT_EQ(r->fault_code, 10);
  EXPECT_EQ(r->fault_string, "BAD_NAME: foo");
}

TEST(XmlRpcClientCodec, ParsesPythonStyleBareStringsAndI8) {
  auto r = parse_method_response(
      "<?xml version='1.0'?><methodResponse><params><param><value>plain</value></param></params>"
      "</methodResponse>");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->value, Value("plain"));
  r = parse_method_response(
      "<methodResponse><params><param><value><i8>9000000000</i8></value></param></params></methodResponse>");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->value, Value(int64_t(9000000000)));
}

TEST(XmlRpcClientCodec, RefusesMalformedResponses) {
  for (const char* bad : {
           "",
           "<methodCall><methodName>x</methodName></methodCall>",
           "<methodResponse></methodResponse>",
           "<methodResponse><params></params></methodResponse>",
           "<methodResponse><params><param><value>1</value></param><param><value>2</value></param>"
           "</params></methodResponse>",
           "<methodResponse><fault><value><struct></struct></value></fault></methodResponse>",
           "<methodResponse><fault><value><string>x</string></value></fault></methodResponse>",
           "<!DOCTYPE x [<!ENTITY a 'b'>]><methodResponse><params><param><value>&a;</value></param>"
           "</params></methodResponse>",
           "<methodResponse><params><param><value><int>x</int></value></param></params>",
       }) {
    EXPECT_FALSE(parse_method_response(bad)) << bad;
  }
}

TEST(XmlRpcClientCodec, RefusesDeepNesting) {
  std::string deep;
  for (int i = 0; i < kMaxNesting + 2; ++i) deep += "<value><array><data>";
  for (int i = 0; i < kMaxNesting + 2; ++i) deep += "</data></array></value>";
  EXPECT_FALSE(parse_method_response("<methodResponse><params><param>" + deep +
                                     "</param></params></methodResponse>"));
}

// proctorctl's transport reads supervisorctl's serverurl (http_client.h).
TEST(HttpClientUrl, ParsesServerUrls) {
  auto u = http::parse_server_url("unix:///tmp/x/s.sock");
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->unix_socket);
  EXPECT_EQ(u->path, "/tmp/x/s.sock");
  u = http::parse_server_url("http://127.0.0.1:9001");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 9001);
  u = http::parse_server_url("http://localhost/RPC2");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->port, 80);
  u = http::parse_server_url("http://[::1]:9002");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9002);
  EXPECT_FALSE(http::parse_server_url("ftp://x"));
  EXPECT_FALSE(http::parse_server_url("http://h:99999"));
  EXPECT_FALSE(http::parse_server_url("unix://"));
}

}  // namespace
}  // namespace proctor::rpc

#include "runtime/http/http_parser.h"

#include <gtest/gtest.h>

#include <string>

#include "runtime/http/http_response.h"

namespace proctor::http {
namespace {

using State = HttpRequestParser::State;

// What supervisorctl's SupervisorTransport (http.client) sends.
constexpr std::string_view kRpcPost =
    "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\n"
    "User-Agent: Python-xmlrpc/3.11\r\nContent-Type: text/xml\r\nAccept: text/xml\r\n"
    "Content-Length: 5\r\n\r\nhello";

TEST(HttpParser, WholeRequest) {
  HttpRequestParser p;
  ASSERT_EQ(p.feed(kRpcPost), State::kComplete);
  HttpRequest r = p.take();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/RPC2");
  EXPECT_EQ(r.version_minor, 1);
  EXPECT_EQ(r.body, "hello");
  ASSERT_NE(r.headers.find("content-type"), nullptr);
  EXPECT_EQ(*r.headers.find("CONTENT-TYPE"), "text/xml");
  EXPECT_EQ(r.headers.find("X-Missing"), nullptr);
  EXPECT_TRUE(r.keep_alive());
  EXPECT_EQ(p.state(), State::kIncomplete);
  EXPECT_FALSE(p.started());
}

TEST(HttpParser, ByteAtATime) {
  HttpRequestParser p;
  for (size_t i = 0; i + 1 < kRpcPost.size(); ++i) {
    ASSERT_EQ(p.feed(kRpcPost.substr(i, 1)), State::kIncomplete) << i;
    EXPECT_TRUE(p.started());
  }
  ASSERT_EQ(p.feed(kRpcPost.substr(kRpcPost.size() - 1)), State::kComplete);
  EXPECT_EQ(p.take().body, "hello");
}

TEST(HttpParser, TwoRequestsInOneBufferAndBareNewlines) {
  HttpRequestParser p;
  ASSERT_EQ(p.feed("GET /a HTTP/1.1\nHost: x\n\n\r\nGET /b?x=1 HTTP/1.0\r\n\r\n"),
            State::kComplete);
  EXPECT_EQ(p.take().target, "/a");
  ASSERT_EQ(p.state(), State::kComplete);
  HttpRequest b = p.take();
  EXPECT_EQ(b.path(), "/b");
  EXPECT_EQ(b.query(), "x=1");
  EXPECT_EQ(b.version_minor, 0);
  EXPECT_FALSE(b.keep_alive());
}

TEST(HttpParser, KeepAliveRules) {
  auto parse = [](std::string_view text) {
    HttpRequestParser p;
    EXPECT_EQ(p.feed(text), State::kComplete) << text;
    return p.take();
  };
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n").keep_alive());
  EXPECT_FALSE(parse("GET / HTTP/1.1\r\nConnection: te, close\r\n\r\n").keep_alive());
  EXPECT_TRUE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive());
  EXPECT_TRUE(parse("GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n").keep_alive());
}

void expect_error(std::string_view text, int status, HttpLimits limits = {}) {
  HttpRequestParser p(limits);
  EXPECT_EQ(p.feed(text), State::kError) << text;
  EXPECT_EQ(p.error_status(), status) << text << ": " << p.error_message();
}

TEST(HttpParser, BadSyntaxIs400) {
  expect_error("GET /\r\n\r\n", 400);
  expect_error("GET  / HTTP/1.1\r\n\r\n", 400);
  expect_error("GET / HTTP/1.1 extra\r\n\r\n", 400);
  expect_error("G(T / HTTP/1.1\r\n\r\n", 400);
  expect_error("GET / HTTX/1.1\r\n\r\n", 400);
  expect_error("GET / HTTP/1.1\r\nNo colon\r\n\r\n", 400);
  expect_error("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", 400);
  expect_error("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", 400);
  expect_error("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n", 400);
  expect_error("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n", 400);
  expect_error("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400);
  expect_error("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
}

TEST(HttpParser, VersionsAndFraming) {
  expect_error("GET / HTTP/2.0\r\n\r\n", 505);
  expect_error("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
  expect_error("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
  HttpRequestParser same;
  EXPECT_EQ(same.feed("POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nab"),
            State::kComplete);
}

TEST(HttpParser, Limits) {
  expect_error("POST / HTTP/1.1\r\nContent-Length: 8388609\r\n\r\n", 413);
  expect_error("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 413);
  HttpRequestParser at_limit;
  EXPECT_EQ(at_limit.feed("POST / HTTP/1.1\r\nContent-Length: 8388608\r\n\r\n"),
            State::kIncomplete);
  // Headers that never end are refused once they pass the limit...
  HttpRequestParser endless;
  std::string line = "X-Filler: " + std::string(1000, 'a') + "\r\n";
  State s = endless.feed("GET / HTTP/1.1\r\n");
  for (int i = 0; i < 100 && s == State::kIncomplete; ++i) s = endless.feed(line);
  EXPECT_EQ(s, State::kError);
  EXPECT_EQ(endless.error_status(), 431);
  // ... and so are complete ones that are too large.
  expect_error("GET / HTTP/1.1\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 431,
               HttpLimits{64, 10});
}

TEST(HttpParser, PercentDecode) {
  EXPECT_EQ(percent_decode("/logtail/g%3Ap/stdout"), "/logtail/g:p/stdout");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("a%20b%2"), "a b%2");
}

TEST(HttpResponse, Formatting) {
  EXPECT_EQ(format_head(200, {{"Content-Type", "text/xml"}}),
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n");
  EXPECT_EQ(format_chunk("hello"), "5\r\nhello\r\n");
  EXPECT_EQ(format_chunk(std::string(26, 'x')).substr(0, 4), "1a\r\n");
  EXPECT_EQ(format_chunk(""), "");
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(error_page(404),
            "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n"
            "<h1>Error response</h1>\r\n<p>Error code 404.\r\n<p>Message: Not Found.\r\n"
            "</body>\r\n");
}

}  // namespace
}  // namespace proctor::http

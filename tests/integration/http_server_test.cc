// HttpServer on a real libuv loop (in its own thread), driven through raw
// sockets and through Supervisor's own Python client.

#include "runtime/http/http_server.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <thread>

#include "runtime/http/http_auth.h"
#include "runtime/http/sha1.h"
#include "runtime/rpc/base64.h"
#include "runtime/rpc/xmlrpc.h"
#include "tests/support/command_runner.h"

namespace proctor::http {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// ---- the server side: runs on the loop thread ---------------------------

/// A timer that runs `fn` after `ms` (and every `repeat` ms if nonzero, while
/// fn returns true); freed in its close callback.
struct Timer {
  uv_timer_t handle;
  std::function<bool()> fn;
  std::set<Timer*>* registry;

  static void start(uv_loop_t* loop, std::set<Timer*>* registry, uint64_t ms, uint64_t repeat,
                    std::function<bool()> fn) {
    auto* t = new Timer{{}, std::move(fn), registry};
    uv_timer_init(loop, &t->handle);
    t->handle.data = t;
    registry->insert(t);
    uv_timer_start(&t->handle, on_fire, ms, repeat);
  }
  static void on_fire(uv_timer_t* h) {
    auto* t = static_cast<Timer*>(h->data);
    if (!t->fn() || !uv_timer_get_repeat(h)) t->close();
  }
  void close() {
    registry->erase(this);
    uv_close(reinterpret_cast<uv_handle_t*>(&handle),
             [](uv_handle_t* h) { delete static_cast<Timer*>(h->data); });
  }
};

constexpr char kUser[] = "user";
constexpr char kPassword[] = "123";

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proctor_http_XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    sock_ = dir_ + "/s.sock";
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    HttpServerOptions options;
    options.request_timeout_ms = 300;
    options.idle_timeout_ms = 1000;
    options.on_quiet = [this] { ++quiet_; };
    server_ = std::make_unique<HttpServer>(&loop_, make_handler(), options);
    ASSERT_EQ(server_->listen_unix(sock_), 0);
    ASSERT_EQ(server_->listen_tcp("127.0.0.1", 0), 0);
    port_ = server_->tcp_port();
    ASSERT_GT(port_, 0);
    uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
      auto* self = static_cast<HttpServerTest*>(a->data);
      self->server_->stop();
      for (Timer* t : std::set<Timer*>(self->timers_)) t->close();
      uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
    });
    stop_.data = this;
    thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
  }

  void TearDown() override {
    uv_async_send(&stop_);
    thread_.join();  // returns only once every handle has closed
    EXPECT_EQ(uv_loop_close(&loop_), 0);
    EXPECT_FALSE(fs::exists(sock_)) << "the socket file is removed on stop";
    fs::remove_all(dir_);
  }

  Handler make_handler() {
    // Enough of supervisord for the tests: the upcheck, and a fixed list.
    Handler rpc = [](const HttpRequest& req, std::shared_ptr<Responder> r) {
      auto call = rpc::parse_method_call(req.body);
      rpc::Value result = call && call->method == "supervisor.getVersion"
                              ? rpc::Value("3.0")
                              : rpc::Value::array({"system.listMethods", "supervisor.getState"});
      r->reply(200, {{"Content-Type", "text/xml"}}, rpc::render_response(result));
    };
    Handler echo = [](const HttpRequest& req, std::shared_ptr<Responder> r) {
      r->reply(200, {{"Content-Type", "text/plain"}}, req.method + " " + req.target + " " + req.body);
    };
    Handler plain = require_basic_auth(echo, kUser, kPassword);
    Handler sha = require_basic_auth(echo, kUser, "{SHA}" + sha1_hex(kPassword));
    Handler authed_rpc = require_basic_auth(rpc, kUser, kPassword);
    return [=, this](const HttpRequest& req, std::shared_ptr<Responder> r) {
      std::string_view path = req.path();
      if (path == "/RPC2") return authed_rpc(req, r);
      if (path == "/auth-plain") return plain(req, r);
      if (path == "/auth-sha") return sha(req, r);
      if (path == "/defer") {
        return Timer::start(&loop_, &timers_, 500, 0, [r] {
          r->reply(200, {}, "deferred");
          return false;
        });
      }
      if (path == "/stream" || path == "/logtail/web/stdout") {
        r->start_chunked(200, {{"Content-Type", "text/plain"}});
        r->send_chunk("one");
        return Timer::start(&loop_, &timers_, 50, 0, [r] {
          r->send_chunk("two");
          r->end();
          return false;
        });
      }
      if (path == "/forever") {
        r->start_chunked(200, {});
        return Timer::start(&loop_, &timers_, 10, 10, [r, this] {
          if (r->send_chunk("tick\n")) return true;
          forever_stopped_ = !r->alive();
          return false;
        });
      }
      if (path == "/dropped") return;  // the handler forgets to answer
      echo(req, r);
    };
  }

  uv_loop_t loop_;
  uv_async_t stop_;
  std::thread thread_;
  std::unique_ptr<HttpServer> server_;
  std::set<Timer*> timers_;
  std::atomic<bool> forever_stopped_{false};
  std::atomic<int> quiet_{0};
  std::string dir_, sock_;
  int port_ = 0;
};

// ---- the client side: plain blocking sockets -----------------------------

struct Response {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;  // de-chunked
  bool has(std::string_view header_line) const {
    return head.find(std::string(header_line) + "\r\n") != std::string::npos;
  }
};

class Client {
 public:
  static Client unix_socket(const std::string& path) {
    Client c(::socket(AF_UNIX, SOCK_STREAM, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    EXPECT_EQ(::connect(c.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return c;
  }
  static Client tcp(int port) {
    Client c(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(c.fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return c;
  }
  Client(Client&& o) noexcept : fd_(std::exchange(o.fd_, -1)), buf_(std::move(o.buf_)) {}
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }

  void send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      bytes.remove_prefix(size_t(n));
    }
  }
  void close() { ::close(std::exchange(fd_, -1)); }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  /// One whole response, or nullopt on EOF/timeout first.
  std::optional<Response> read_response() {
    Response r;
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return std::nullopt;
    }
    r.head = buf_.substr(0, end + 2);
    buf_.erase(0, end + 4);
    r.status = std::atoi(r.head.c_str() + 9);
    if (size_t cl = lower(r.head).find("content-length: "); cl != std::string::npos) {
      size_t len = std::stoul(r.head.substr(cl + 16));
      while (buf_.size() < len) {
        if (!fill()) return std::nullopt;
      }
      r.body = buf_.substr(0, len);
      buf_.erase(0, len);
    } else if (r.has("Transfer-Encoding: chunked")) {
      if (!read_chunks(r.body)) return std::nullopt;
    } else {
      while (fill()) {
      }
      r.body = std::exchange(buf_, "");
    }
    return r;
  }

  /// Whether the server sends something (or closes) within `wait`.
  bool readable_within(std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, int(wait.count())) > 0;
  }

  /// Whether the server closes the connection within `wait`.
  bool closed_within(std::chrono::milliseconds wait) {
    auto deadline = Clock::now() + wait;
    while (Clock::now() < deadline) {
      char c;
      ssize_t n = ::recv(fd_, &c, 1, MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN)) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

 private:
  explicit Client(int fd) : fd_(fd) {
    timeval tv{5, 0};  // a hung server fails the test instead of the suite
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  static std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  bool fill() {
    char chunk[4096];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf_.append(chunk, size_t(n));
    return true;
  }
  bool read_chunks(std::string& body) {
    for (;;) {
      size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (!fill()) return false;
      }
      size_t size = std::stoul(buf_.substr(0, eol), nullptr, 16);
      while (buf_.size() < eol + 2 + size + 2) {
        if (!fill()) return false;
      }
      body += buf_.substr(eol + 2, size);
      buf_.erase(0, eol + 2 + size + 2);
      if (size == 0) return true;
    }
  }

  int fd_;
  std::string buf_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

std::string post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

// ---- tests ----------------------------------------------------------------

TEST_F(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client c = Client::unix_socket(sock_);
  c.send(post("/echo", "first"));
  auto a = c.read_response();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "POST /echo first");
  EXPECT_FALSE(a->has("Connection: close"));
  EXPECT_NE(a->head.find("\r\nDate: "), std::string::npos);
  c.send(get("/echo?x=1"));
  auto b = c.read_response();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->body, "GET /echo?x=1 ");
}

// proctord trims its heap when the last client has gone: on_quiet fires
// once every open connection has closed, not before.
TEST_F(HttpServerTest, OnQuietFiresWhenTheLastConnectionCloses) {
  auto quiet_after_a_while = [this] {
    for (int i = 0; i < 30 && quiet_ == 0; ++i) std::this_thread::sleep_for(10ms);
    return quiet_.load();
  };
  auto first = std::make_unique<Client>(Client::unix_socket(sock_));
  Client second = Client::tcp(port_);
  for (Client* c : {first.get(), &second}) {
    c->send(get("/echo"));
    ASSERT_TRUE(c->read_response());
  }
  first.reset();
  EXPECT_EQ(quiet_after_a_while(), 0);  // the TCP client is still connected (idle timeout: 1 s)
  second.send(post("/echo", "bye"));
  ASSERT_TRUE(second.read_response());
  { Client gone = std::move(second); }
  EXPECT_EQ(quiet_after_a_while(), 1);
}

TEST_F(HttpServerTest, PipelinedRequestsAnsweredInOrder) {
  Client c = Client::tcp(port_);
  c.send(get("/defer") + post("/echo", "second"));
  auto a = c.read_response();
  auto b = c.read_response();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->body, "deferred");
  EXPECT_EQ(b->body, "POST /echo second");
}

TEST_F(HttpServerTest, DeferredReplyDoesNotBlockOtherClients) {
  Client slow = Client::tcp(port_);
  auto start = Clock::now();
  slow.send(get("/defer"));
  Client fast = Client::tcp(port_);
  fast.send(get("/echo"));
  auto quick = fast.read_response();
  ASSERT_TRUE(quick);
  EXPECT_LT(Clock::now() - start, 400ms);
  auto later = slow.read_response();
  ASSERT_TRUE(later);
  EXPECT_EQ(later->body, "deferred");
  EXPECT_GE(Clock::now() - start, 490ms);
}

TEST_F(HttpServerTest, ChunkedStream) {
  Client c = Client::unix_socket(sock_);
  c.send(get("/stream"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->has("Transfer-Encoding: chunked"));
  EXPECT_EQ(r->head.find("Content-Length"), std::string::npos);
  EXPECT_EQ(r->body, "onetwo");
  c.send(get("/echo"));  // the connection is still usable
  ASSERT_TRUE(c.read_response());
}

TEST_F(HttpServerTest, StreamToHttp10ClientEndsWithClose) {
  Client c = Client::tcp(port_);
  c.send("GET /stream HTTP/1.0\r\n\r\n");
  auto r = c.read_response();  // no length, no chunks: read to EOF
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->has("Connection: close"));
  EXPECT_EQ(r->body, "onetwo");
}

TEST_F(HttpServerTest, ClientLeavingAStreamMakesResponderDead) {
  Client c = Client::tcp(port_);
  c.send(get("/forever"));
  ASSERT_TRUE(c.closed_within(100ms) == false);
  c.close();
  auto deadline = Clock::now() + 3s;
  while (!forever_stopped_ && Clock::now() < deadline) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(forever_stopped_);
}

TEST_F(HttpServerTest, BasicAuthPlainAndSha) {
  for (const char* path : {"/auth-plain", "/auth-sha"}) {
    Client anonymous = Client::unix_socket(sock_);
    anonymous.send(get(path));
    auto denied = anonymous.read_response();
    ASSERT_TRUE(denied);
    EXPECT_EQ(denied->status, 401);
    EXPECT_TRUE(denied->has("WWW-Authenticate: Basic realm=\"default\""));
    EXPECT_TRUE(anonymous.closed_within(1s));

    Client wrong = Client::unix_socket(sock_);
    wrong.send(get(path, "Authorization: Basic " + rpc::base64_encode("user:124") + "\r\n"));
    EXPECT_EQ(wrong.read_response()->status, 401);

    Client good = Client::tcp(port_);
    std::string auth = "Authorization: Basic " + rpc::base64_encode("user:123") + "\r\n";
    good.send(get(path, auth));
    auto ok = good.read_response();
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200) << path;
    good.send(get(path, auth));
    EXPECT_EQ(good.read_response()->status, 200);
  }
}

TEST_F(HttpServerTest, OversizedBodyIs413) {
  Client c = Client::tcp(port_);
  c.send("POST /echo HTTP/1.1\r\nContent-Length: 9437184\r\n\r\n");
  c.send(std::string(256 * 1024, 'x'));  // the client is still sending: lingering close
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(r->has("Connection: close"));
  EXPECT_TRUE(c.closed_within(3s));
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  Client c = Client::unix_socket(sock_);
  c.send("THIS IS NOT HTTP\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("Error code 400"), std::string::npos);
  EXPECT_TRUE(c.closed_within(1s));
}

TEST_F(HttpServerTest, ChunkedRequestBodyIs411) {
  Client c = Client::tcp(port_);
  c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(c.read_response()->status, 411);
}

TEST_F(HttpServerTest, DroppedResponderAnswers500) {
  Client c = Client::tcp(port_);
  c.send(get("/dropped"));
  EXPECT_EQ(c.read_response()->status, 500);
}

TEST_F(HttpServerTest, SilentAndSlowClientsDoNotBlockOthers) {
  Client silent = Client::unix_socket(sock_);
  Client partial = Client::tcp(port_);
  partial.send("GET /echo HTTP/1.1\r\nHost: x\r\n");
  auto start = Clock::now();
  Client c = Client::unix_socket(sock_);
  c.send(get("/echo"));
  ASSERT_TRUE(c.read_response());
  EXPECT_LT(Clock::now() - start, 250ms);
  // Then the timeouts: 408 for the unfinished request, a quiet close for the
  // connection that never sent anything.
  auto timed_out = partial.read_response();
  ASSERT_TRUE(timed_out);
  EXPECT_EQ(timed_out->status, 408);
  EXPECT_TRUE(silent.closed_within(2s));
}

TEST_F(HttpServerTest, TricklingClientTimesOutAsAWhole) {
  Client c = Client::tcp(port_);
  auto start = Clock::now();
  std::string request = get("/echo");
  for (size_t i = 0; i < request.size() && !c.readable_within(100ms); ++i) {
    c.send(request.substr(i, 1));
  }
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_LT(Clock::now() - start, 1500ms);  // the 300 ms deadline, not 100 ms per byte
}

TEST_F(HttpServerTest, HalfClosedClientStillGetsItsAnswer) {
  Client c = Client::tcp(port_);
  c.send(get("/defer"));
  c.shutdown_write();
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "deferred");
  EXPECT_TRUE(c.closed_within(1s));
}

TEST_F(HttpServerTest, UnixSocketIsPrivate) {
  struct stat st;
  ASSERT_EQ(::stat(sock_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_FALSE(fs::exists(sock_ + "." + std::to_string(::getpid())));
}

// supervisorctl's transport, unchanged, over both kinds of socket.
std::string run_supervisor_client(const std::string& serverurl, const std::string& password) {
  std::string cmd =
      "/usr/bin/python3 -c \"import xmlrpc.client\n"
      "from supervisor.xmlrpc import SupervisorTransport\n"
      "t = SupervisorTransport('user', '" + password + "', '" + serverurl + "')\n"
      "s = xmlrpc.client.ServerProxy('http://127.0.0.1', transport=t)\n"
      "try:\n  print(s.system.listMethods()); print(s.system.listMethods())\n"
      "except xmlrpc.client.ProtocolError as e:\n  print('status', e.errcode)\" 2>&1";
  std::string out = proctor::testing::run_shell(cmd).out;
  return out;
}

TEST_F(HttpServerTest, SupervisorTransportTalksToUs) {
  if (std::system("/usr/bin/python3 -c 'import supervisor.xmlrpc' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3 with supervisor is not installed";
  }
  const std::string expected =
      "['system.listMethods', 'supervisor.getState']\n"
      "['system.listMethods', 'supervisor.getState']\n";
  EXPECT_EQ(run_supervisor_client("unix://" + sock_, kPassword), expected);
  EXPECT_EQ(run_supervisor_client("http://127.0.0.1:" + std::to_string(port_), kPassword),
            expected);
  EXPECT_EQ(run_supervisor_client("unix://" + sock_, "wrong"), "status 401\n");
}

TEST_F(HttpServerTest, SupervisorctlTailFollow) {
  if (std::system("command -v supervisorctl >/dev/null") != 0) {
    GTEST_SKIP() << "supervisorctl is not installed";
  }
  std::string conf = dir_ + "/ctl.conf";
  std::ofstream(conf) << "[supervisorctl]\nserverurl = unix://" << sock_
                      << "\nusername = user\npassword = 123\n";
  std::string cmd = "timeout 10 supervisorctl -c " + conf + " tail -f web 2>&1";
  std::string out = proctor::testing::run_shell(cmd).out;
  EXPECT_NE(out.find("onetwo"), std::string::npos) << out;
}

// Listening on a unix path: stale sockets are replaced, live servers and
// other files are left alone.
TEST(HttpServerUnixPath, StaleLiveAndForeignFiles) {
  char tmpl[] = "/tmp/proctor_http_XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string path = dir + "/s.sock";
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    // A socket file whose server is gone.
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ::close(fd);
    Handler h = [](const HttpRequest&, std::shared_ptr<Responder>) {};
    HttpServer first(&loop, h), second(&loop, h);
    EXPECT_EQ(first.listen_unix(path, 0770), 0);
    struct stat st;
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0770u);
    EXPECT_EQ(second.listen_unix(path), UV_EADDRINUSE);
    EXPECT_TRUE(fs::exists(path));
    first.stop();
    std::ofstream(dir + "/file") << "keep me";
    EXPECT_EQ(second.listen_unix(dir + "/file"), UV_EEXIST);
    EXPECT_TRUE(fs::exists(dir + "/file"));
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // run the close callbacks
  EXPECT_EQ(uv_loop_close(&loop), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace proctor::http

// The HTTP side of proctord: the servers of [unix_http_server] and
// [inet_http_server], /RPC2 for XML-RPC, /logtail and /mainlogtail for
// `supervisorctl tail -f` and `maintail -f` (http.py's handlers).

#include <fmt/format.h>
#include <malloc.h>
#include <sys/stat.h>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"
#include "compiler/plan/lazy_plan.h"
#include "compiler/plan/plan_json.h"
#include "runtime/daemon/daemon.h"
#include "runtime/http/http_auth.h"
#include "runtime/http/http_response.h"
#include "runtime/logs/output_tail.h"
#include "runtime/rpc/xmlrpc.h"

namespace proctor::daemon {

using nlohmann::json;

int Daemon::start_servers() {
  for (const auto& s : plan_.at("http_servers")) {
    http::Handler handler = [this](const http::HttpRequest& r, std::shared_ptr<http::Responder> out) {
      handle_http(r, std::move(out));
    };
    if (s.at("username").is_string() && s.at("password").is_string())
      handler = http::require_basic_auth(handler, s["username"], s["password"]);
    else
      log("critical", fmt::format("Server '{}' running without any HTTP authentication checking",
                                  s.at("family") == "unix" ? "unix_http_server" : "inet_http_server"));
    // A request's parsing and replies leave freed heap scattered between
    // live blocks, which glibc keeps; hand it back a second after the last
    // client has gone, so an idle daemon stays as small as it started. Not
    // at once: a burst of connections (supervisorctl update) would pay for
    // the trim and the page faults after it each time.
    http::HttpServerOptions options;
    options.on_quiet = [this] {
      if (uv_is_closing(reinterpret_cast<uv_handle_t*>(&trim_timer_))) return;
      uv_timer_start(&trim_timer_, [](uv_timer_t*) { malloc_trim(0); }, 1000, 0);
    };
    auto server = std::make_unique<http::HttpServer>(&loop_, handler, options);
    int err;
    if (s.at("family") == "unix") {
      const json& chown = s.at("chown");
      err = server->listen_unix(s.at("file"), static_cast<unsigned>(s.at("chmod").get<int>()),
                                chown[0].get<int>(), chown[1].get<int>());
    } else {
      std::string host = s.at("host");
      err = server->listen_tcp(host.empty() ? "0.0.0.0" : host, s.at("port"));
    }
    if (err < 0) {
      log("critical", fmt::format("cannot listen on {}: {}", s.value("file", s.value("host", "") + ":" +
                                  std::to_string(s.value("port", 0))), uv_strerror(err)));
      return err;
    }
    servers_.push_back(std::move(server));
  }
  return 0;
}

void Daemon::handle_http(const http::HttpRequest& req, std::shared_ptr<http::Responder> out) {
  std::string_view path = req.path();
  if (path == "/RPC2") return handle_rpc(req, std::move(out));
  if (path.starts_with("/logtail/") || path == "/mainlogtail") return handle_logtail(req, std::move(out));
  out->reply(404, {{"Content-Type", "text/html"}}, http::error_page(404));
}

void Daemon::handle_rpc(const http::HttpRequest& req, std::shared_ptr<http::Responder> out) {
  if (req.method != "POST") {
    out->reply(405, {{"Content-Type", "text/html"}, {"Allow", "POST"}}, http::error_page(405));
    return;
  }
  auto call = rpc::parse_method_call(req.body);
  std::string body;
  if (!call) {
    // xmlrpc.py continue_request: unparseable data, or no method name, is
    // answered with HTTP 400 (the client raises ProtocolError).
    std::string shown = req.body.size() > 200 ? req.body.substr(0, 200) + "..." : req.body;
    log("error", fmt::format("XML-RPC request data '{}' is invalid: {}", shown, call.error()));
    out->reply(400, {{"Content-Type", "text/html"}}, http::error_page(400));
    return;
  } else {
    RpcReply reply = rpc_.call(call->method, call->params);
    if (!reply.now) {
      pending_.push_back({reply.later, out});
      pump();
      return;
    }
    if (auto* v = std::get_if<rpc::Value>(&*reply.now)) body = rpc::render_response(*v);
    else body = rpc::render_fault(std::get<RpcError>(*reply.now).code, std::get<RpcError>(*reply.now).text);
  }
  out->reply(200, {{"Content-Type", "text/xml"}}, std::move(body));
  // A call may have changed what should happen next (a stop, a shutdown).
  pump();
}

void Daemon::handle_logtail(const http::HttpRequest& req, std::shared_ptr<http::Responder> out) {
  std::string path;
  std::vector<std::shared_ptr<http::Responder>>* listeners = nullptr;
  if (req.path() == "/mainlogtail") {
    path = main_log_path();
    listeners = &main_tails_;
  } else {
    std::string rest = http::percent_decode(req.path().substr(9));
    auto slash = rest.find('/');
    std::string name = rest.substr(0, slash);
    std::string channel = slash == std::string::npos ? "stdout" : rest.substr(slash + 1);
    runtime::ProcessFsm* p = sup_.process(name);
    if (p && (channel == "stdout" || channel == "stderr")) {
      path = log_path(*p, channel == "stdout" ? Channel::kStdout : Channel::kStderr);
      listeners = &io(*p).tails[channel == "stdout" ? 0 : 1];
    }
  }
  struct stat st{};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) {
    out->reply(404, {{"Content-Type", "text/html"}}, http::error_page(404));
    return;
  }
  out->start_chunked(200, {{"Content-Type", "text/plain;charset=utf-8"},
                           {"Last-Modified", http::http_date(st.st_mtime)},
                           {"X-Accel-Buffering", "no"}});
  // tail_f_producer starts with the last 1024 bytes, then follows the log.
  auto tail = logs::tail_log(path, 0, 1024);
  if (!tail.bytes.empty()) out->send_chunk(tail.bytes);
  listeners->push_back(std::move(out));
}

// Only the groups that changed get plan objects (lazy_plan): a reread of a
// large config otherwise spends most of its time building JSON for groups
// the running daemon already holds. A config the machine still answers for
// exactly as last time is not compiled again.
Expected<plan::LazyPlan> Daemon::reread_plan() {
  using Failure = Expected<plan::LazyPlan>;
  if (options_.config_path.empty()) return Failure::failure("proctord runs a precompiled plan; nothing to reread");
  if (last_reread_ && last_reread_->answers.same_answers(model::PosixHost())) return last_reread_->plan;
  auto reread = std::make_unique<LastReread>();
  auto compiled = std::make_shared<plan::CompiledConfig>();
  DiagSink sink;
  auto result = model::compile_config(options_.config_path, reread->answers, compiled->sm, sink);
  if (!result.config) {
    std::string text;
    for (const auto& d : sink.all())
      if (d.severity == Severity::kError) text += render_text(d, compiled->sm, {});
    return Failure::failure(text.empty() ? "the config did not compile" : text);
  }
  compiled->config = std::move(*result.config);
  // Only pools can hold settings proctord refuses, and they are few.
  for (const auto& g : compiled->config.groups)
    if (g.type == model::GroupConfig::Type::kEventListener)
      if (auto why = unsupported_group_settings(plan::group_json(g, compiled->sm))) return Failure::failure(*why);
  reread->plan = plan::lazy_plan(std::move(compiled));
  last_reread_ = std::move(reread);
  return last_reread_->plan;
}

}  // namespace proctor::daemon

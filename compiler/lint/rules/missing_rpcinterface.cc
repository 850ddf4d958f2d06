// P3019: supervisorctl talks to supervisord through the "supervisor"
// XML-RPC namespace, which only exists when an [rpcinterface:x] section
// loads supervisor.rpcinterface:make_main_rpcinterface. Without it every
// supervisorctl command fails with UNKNOWN_METHOD.

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

constexpr std::string_view kMainFactory = "supervisor.rpcinterface:make_main_rpcinterface";

bool has_main_rpcinterface(const LintInput& in) {
  if (in.config) {
    for (const auto& r : in.config->rpcinterfaces)
      if (r.factory == kMainFactory) return true;
    return false;
  }
  for (const auto& s : known_sections(in.store)) {
    if (s.kind != model::SectionKind::kRpcInterface) continue;
    const auto* f = option(in, s.name, "supervisor.rpcinterface_factory");
    if (f && f->value.find(kMainFactory) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

void check_missing_rpcinterface(const LintInput& in, DiagSink& sink) {
  const SectionRef* server = nullptr;
  auto sections = known_sections(in.store);
  for (const auto& s : sections)
    if (s.kind == model::SectionKind::kInetHttpServer || s.kind == model::SectionKind::kUnixHttpServer) {
      server = &s;
      break;
    }
  if (!server || has_main_rpcinterface(in)) return;
  auto& d = sink.report(DiagCode::P3019, server->stored->header_range,
                        fmt::format("[{}] serves XML-RPC, but no [rpcinterface:x] section loads "
                                    "Supervisor's main interface",
                                    server->name));
  d.notes.push_back({"supervisorctl would fail with UNKNOWN_METHOD for every command", {}});
  d.help = "add an [rpcinterface:supervisor] section with supervisor.rpcinterface_factory = "
           "supervisor.rpcinterface:make_main_rpcinterface";
}

}  // namespace proctor::lint

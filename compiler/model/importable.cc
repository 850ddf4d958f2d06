#include "compiler/model/importable.h"

#include <array>

#include "compiler/model/value_types.h"

namespace proctor::model {

namespace {

constexpr std::array<ImportableCallable, 4> kKnown = {{
    {"supervisor.rpcinterface:make_main_rpcinterface",
     "supervisor.rpcinterface:make_main_rpcinterface", false},
    {"supervisor.dispatchers:default_handler", "supervisor.dispatchers:default_handler", false},
    {"supervisor.supervisorctl:DefaultControllerPlugin",
     "supervisor.supervisorctl:DefaultControllerPlugin", false},
    {"supervisor.rpcinterface:SupervisorNamespaceRPCInterface",
     "supervisor.rpcinterface:SupervisorNamespaceRPCInterface", false},
}};

}  // namespace

std::optional<ImportableCallable> resolve_import(std::string_view spec) {
  std::string_view s = py_strip(spec);
  auto colon = s.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string normalized(py_strip(s.substr(0, colon)));
  normalized += ':';
  normalized += py_strip(s.substr(colon + 1));
  for (const auto& c : kKnown)
    if (c.spec == normalized) return c;
  return std::nullopt;
}

}  // namespace proctor::model

#pragma once
// Supervisor imports rpcinterface factories, ctlplugin factories and
// eventlistener result handlers with pkg_resources. proctor cannot import
// Python, so it knows the callables Debian's supervisor package provides;
// any other spec is reported as unresolvable, as Supervisor would report a
// module that is not installed.

#include <optional>
#include <string>
#include <string_view>

namespace proctor::model {

struct ImportableCallable {
  std::string_view spec;           ///< "module:attr" as written (normalized)
  std::string_view qualified;      ///< what the oracle prints: "module:qualname"
  bool accepts_extra_kwargs;       ///< false when extras would break the call
};

/// The callable a spec resolves to, or nullopt. Spaces around ':' are
/// allowed, as in pkg_resources.EntryPoint.parse.
std::optional<ImportableCallable> resolve_import(std::string_view spec);

}  // namespace proctor::model

#include "compiler/model/parallel_sections.h"

#include <algorithm>
#include <vector>

#include "compiler/base/parallel_for.h"
#include "compiler/model/locked_host.h"

namespace proctor::model {

namespace {

// Enough sections that a batch's own context costs nothing next to them,
// few enough that the threads finish close together.
constexpr std::size_t kSectionsPerBatch = 64;

struct BatchOutput {
  DiagSink sink;
  std::set<std::string> env_used;
  std::vector<std::string> parse_warnings;
};

void read_batch(const CompileContext& ctx, const Host& host, std::size_t first, std::size_t last,
                const std::function<void(CompileContext&, std::size_t)>& read, BatchOutput& out) {
  CompileContext c{host, ctx.sm, out.sink, ctx.store, ctx.configfile, ctx.here, ctx.cwd,
                   ctx.hostname, ctx.environ, {}, {}, ctx.threads};
  for (std::size_t i = first; i < last; ++i) read(c, i);
  out.env_used = std::move(c.env_used);
  out.parse_warnings = std::move(c.parse_warnings);
}

}  // namespace

void read_sections_in_parallel(CompileContext& ctx, std::size_t count,
                               const std::function<void(CompileContext&, std::size_t)>& read) {
  std::vector<BatchOutput> batches((count + kSectionsPerBatch - 1) / kSectionsPerBatch);
  LockedHost host(ctx.host);
  parallel_for(batches.size(), ctx.threads, [&](std::size_t b) {
    std::size_t first = b * kSectionsPerBatch;
    read_batch(ctx, host, first, std::min(count, first + kSectionsPerBatch), read, batches[b]);
  });

  for (auto& b : batches) {
    ctx.sink.merge(std::move(b.sink));
    ctx.env_used.merge(b.env_used);
    for (auto& w : b.parse_warnings) ctx.parse_warnings.push_back(std::move(w));
  }
}

}  // namespace proctor::model

// gale config --list | --get SYM | --set SYM=VAL
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/config.grpc.pb.h"
#include "interrupt.h"
#include "json.h"
#include "requests.h"

namespace gale::cli {
namespace {

std::string Explain(const gale::v1::ConfigSymbol &s) {
  std::string out = absl::StrCat("CONFIG_", s.name(), "=", s.value(), "\n");
  auto field = [&out](const char *label, const std::string &value) {
    if (!value.empty()) {
      absl::StrAppend(&out, "  ", label, ": ", value, "\n");
    }
  };
  field("type", s.type());
  field("prompt", s.prompt());
  field("menu", s.menu());
  field("set by", s.set_by());
  field("depends on", s.depends_on());
  field("selected by", absl::StrJoin(s.selected_by(), ", "));
  field("defined at", absl::StrJoin(s.defined_at(), ", "));
  if (!s.why_not_settable().empty()) {
    field("not settable", s.why_not_settable());
  } else if (!s.visible()) {
    field("not settable", "it has no prompt (it is set by other symbols)");
  }
  if (!s.help().empty()) {
    out += "  help:\n";
    for (absl::string_view line : absl::StrSplit(s.help(), '\n')) {
      absl::StrAppend(&out, line.empty() ? "" : "    ", line, "\n");
    }
  }
  return out;
}

}  // namespace

int RunConfig(Context &ctx) {
  const ConfigOptions &options = ctx.inv.config;
  const auto exists = [](const std::filesystem::path &p) {
    std::error_code ec;
    return std::filesystem::is_directory(p, ec);
  };
  const absl::StatusOr<std::string> build_dir = ConfigBuildDir(options, ctx.cwd, exists);
  if (!build_dir.ok()) {
    return FailStatus(ctx, build_dir.status());
  }
  auto stub = gale::v1::Config::NewStub(ctx.client.channel());

  if (options.list) {
    auto context = ctx.client.NewContext();
    gale::v1::ListConfigRequest request;
    request.set_build_dir(*build_dir);
    request.set_all(options.all);
    gale::v1::ListConfigResponse response;
    const grpc::Status status = stub->List(context.get(), request, &response);
    return ConcludeCall(ctx, status, response, [&] {
      Table table({"SYMBOL", "VALUE", "TYPE", "SET BY"});
      for (const gale::v1::ConfigSymbol &symbol : response.symbols()) {
        table.AddRow({"CONFIG_" + symbol.name(), symbol.value(), symbol.type(), symbol.set_by()});
      }
      ctx.out << table.Render();
    });
  }

  if (!options.get.empty()) {
    auto context = ctx.client.NewContext();
    gale::v1::GetConfigRequest request;
    request.set_build_dir(*build_dir);
    request.set_name(options.get);
    gale::v1::ConfigSymbol symbol;
    const grpc::Status status = stub->Get(context.get(), request, &symbol);
    return ConcludeCall(ctx, status, symbol, [&] { ctx.out << Explain(symbol); });
  }

  gale::v1::SetConfigRequest request;
  request.set_build_dir(*build_dir);
  for (const std::string &assignment : options.set) {
    if (assignment.find('=') == std::string::npos) {
      return Fail(ctx, absl::StrCat("--set takes SYM=VALUE, not '", assignment, "'"));
    }
    request.add_assignments(assignment);
  }
  auto context = ctx.client.NewContext();
  CancelOnInterrupt cancel(context.get());
  EventPrinter printer(ctx.printer_options(), ctx.out, ctx.err);
  auto reader = stub->Set(context.get(), request);
  const StreamOutcome outcome = DrainJobStream(*reader, printer);
  const int code = ConcludeJob(ctx, printer, outcome);
  if (code != kExitOk || ctx.global().json) {
    return code;
  }
  // Show what the symbols are now, and where that came from.
  for (const std::string &assignment : options.set) {
    auto get_context = ctx.client.NewContext();
    gale::v1::GetConfigRequest get;
    get.set_build_dir(*build_dir);
    get.set_name(assignment.substr(0, assignment.find('=')));
    gale::v1::ConfigSymbol symbol;
    if (stub->Get(get_context.get(), get, &symbol).ok()) {
      ctx.out << "CONFIG_" << symbol.name() << "=" << symbol.value();
      if (!symbol.set_by().empty()) {
        ctx.out << "  (" << symbol.set_by() << ")";
      }
      ctx.out << '\n';
    }
  }
  return kExitOk;
}

}  // namespace gale::cli

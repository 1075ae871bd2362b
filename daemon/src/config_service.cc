// Config: an application's Kconfig configuration, read through its build folder and changed
// through the app's overlay fragment.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "build_job.h"
#include "gale/build/config.h"
#include "gale/daemon/status.h"
#include "gale/v1/config.grpc.pb.h"
#include "services.h"

namespace gale::daemon {
namespace {

void SymbolToProto(const build::ConfigSymbol &s, v1::ConfigSymbol *out) {
  out->set_name(s.name);
  out->set_type(s.type);
  out->set_value(s.value);
  out->set_prompt(s.prompt);
  out->set_help(s.help);
  out->set_visible(s.why_not_settable.empty());
  out->set_depends_on(s.depends_on);
  for (const std::string &by : s.selected_by) {
    out->add_selected_by(by);
  }
  out->set_set_by(s.set_by);
  out->set_why_not_settable(s.why_not_settable);
  for (const std::string &at : s.defined_at) {
    out->add_defined_at(at);
  }
  out->set_menu(s.menu);
}

class ConfigService final : public v1::Config::Service {
 public:
  explicit ConfigService(Context &context) : context_(context) {}

  grpc::Status List(grpc::ServerContext *, const v1::ListConfigRequest *request,
                    v1::ListConfigResponse *reply) override {
    absl::StatusOr<build::BuildConfig> config = Load(request->build_dir());
    if (!config.ok()) {
      return ToGrpc(config.status());
    }
    for (const build::ConfigSymbol &s : config->List(request->all())) {
      SymbolToProto(s, reply->add_symbols());
    }
    return grpc::Status::OK;
  }

  grpc::Status Get(grpc::ServerContext *, const v1::GetConfigRequest *request,
                   v1::ConfigSymbol *reply) override {
    absl::StatusOr<build::BuildConfig> config = Load(request->build_dir());
    if (!config.ok()) {
      return ToGrpc(config.status());
    }
    absl::StatusOr<build::ConfigSymbol> symbol = config->Get(request->name());
    if (!symbol.ok()) {
      return ToGrpc(symbol.status());
    }
    SymbolToProto(*symbol, reply);
    return grpc::Status::OK;
  }

  grpc::Status Set(grpc::ServerContext *server_context, const v1::SetConfigRequest *request,
                   grpc::ServerWriter<v1::JobEvent> *writer) override {
    absl::StatusOr<build::BuildConfig> config = Load(request->build_dir());
    if (!config.ok()) {
      return ToGrpc(config.status());
    }
    if (request->assignments().empty()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          "nothing to set: give SYM=VALUE assignments");
    }
    std::vector<std::string> assignments(request->assignments().begin(),
                                         request->assignments().end());
    // Refuse bad assignments before a job exists: a typo is an argument error, not a job.
    for (const std::string &a : assignments) {
      if (absl::StatusOr<build::ConfigAssignment> ok = config->CheckAssignment(a); !ok.ok()) {
        return ToGrpc(ok.status());
      }
    }
    jobs::JobSpec spec;
    spec.kind = "config";
    spec.summary =
        absl::StrCat("set ", absl::StrJoin(assignments, " "), " in ", config->folder().app_dir);
    spec.board = config->folder().board;
    std::string build_dir = config->folder().build_dir;
    Context &context = context_;
    return StreamJob(
        context_, server_context, writer, spec,
        [&context, build_dir, assignments](jobs::JobContext &ctx) {
          Events events(ctx);
          build::CancelToken cancel;
          jobs::CancelCallback on_cancel(ctx.token(), [&cancel] { cancel.Cancel(); });
          build::BuildEvents build_events;
          build_events.on_diagnostic = [&](const build::Diagnostic &d) {
            events.Diagnostic(ToProto(d));
          };
          build_events.on_output = [&](build::OutputStream stream, std::string_view line) {
            events.Log(build::StreamName(stream), line);
          };
          absl::StatusOr<build::SetConfigResult> result =
              build::SetConfig(*context.builder, build_dir, assignments, build_events, &cancel);
          if (!result.ok()) {
            return jobs::JobOutcome::Failed(std::string(result.status().message()));
          }
          for (const build::ConfigSymbol &s : result->symbols) {
            events.Log("daemon", absl::StrCat("CONFIG_", s.name, "=", s.value, " (set in ",
                                              result->overlay, ")"));
          }
          return jobs::JobOutcome::Succeeded();
        });
  }

 private:
  absl::StatusOr<build::BuildConfig> Load(const std::string &build_dir) {
    absl::StatusOr<std::string> dir = context_.paths.Check(build_dir, "build folder");
    if (!dir.ok()) {
      return dir.status();
    }
    return build::BuildConfig::Load(*dir);
  }

  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeConfigService(Context &context) {
  return std::make_unique<ConfigService>(context);
}

}  // namespace gale::daemon

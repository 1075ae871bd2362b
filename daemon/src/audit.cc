#include "audit.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "auth.h"
#include "caller.h"

namespace gale::daemon {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// In order of preference: the device first, then what else a call can be about.
constexpr const char *kTargetFields[] = {"device_id", "device",    "devices", "serial", "id",
                                         "job_id",    "build_dir", "app_dir", "elf",    "board"};

std::string FieldText(const Message &message, const FieldDescriptor *field) {
  const google::protobuf::Reflection *reflection = message.GetReflection();
  if (field->type() != FieldDescriptor::TYPE_STRING) {
    return {};
  }
  if (field->is_repeated()) {
    std::vector<std::string> values;
    for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
      values.push_back(reflection->GetRepeatedString(message, field, i));
    }
    return absl::StrJoin(values, ",");
  }
  return reflection->GetString(message, field);
}

std::string DirectTarget(const Message &message) {
  const google::protobuf::Descriptor *descriptor = message.GetDescriptor();
  for (const char *name : kTargetFields) {
    if (const FieldDescriptor *field = descriptor->FindFieldByName(name)) {
      std::string text = FieldText(message, field);
      if (!text.empty()) {
        return text;
      }
    }
  }
  return {};
}

// Whether a message of a bidirectional device stream carries input bytes (ConsoleInput.data,
// ShellInput.data).
bool CarriesInput(const Message &message) {
  const FieldDescriptor *data = message.GetDescriptor()->FindFieldByName("data");
  return data != nullptr && data->type() == FieldDescriptor::TYPE_BYTES && !data->is_repeated() &&
         message.GetReflection()->HasField(message, data);
}

std::string StatusName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

class AuditInterceptor final : public grpc::experimental::Interceptor {
 public:
  AuditInterceptor(store::Store &store, grpc::experimental::ServerRpcInfo *info,
                   const MethodRule &rule)
      : store_(store), info_(info), rule_(rule), started_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods *methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // The message object of a sync protobuf service: the generated class, whose one base is
      // Message, so the pointer is a Message's too.
      if (const void *raw = methods->GetRecvMessage(); raw != nullptr) {
        const Message &message = *static_cast<const Message *>(raw);
        if (target_.empty()) {
          target_ = AuditTargetOf(message);
        }
        input_sent_ = input_sent_ || CarriesInput(message);
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE) &&
        !answered_) {
      // What a call created is named in its answer (Devices.Create: the new device's id).
      answered_ = true;
      if (const void *raw = methods->GetSendMessage(); raw != nullptr) {
        const Message &message = *static_cast<const Message *>(raw);
        if (const FieldDescriptor *id = message.GetDescriptor()->FindFieldByName("id");
            id != nullptr && id->type() == FieldDescriptor::TYPE_STRING && !id->is_repeated()) {
          created_ = message.GetReflection()->GetString(message, id);
        }
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Record(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void Record(const grpc::Status &status) {
    // Watching a console or shell changes nothing; typing into one does.
    if (!rule_.audited && !input_sent_) {
      return;
    }
    grpc::ServerContextBase *context = info_->server_context();
    std::string target = target_;
    if (!created_.empty() && created_ != target) {
      target = target.empty() ? created_ : absl::StrCat(created_, " (", target, ")");
    }
    const Caller caller = CallerOf(*context);
    store::AuditRecord record;
    record.time_us = absl::ToUnixMicros(started_);
    record.duration_us = absl::ToInt64Microseconds(absl::Now() - started_);
    record.caller = caller.name;
    record.role = std::string(RoleName(caller.role));
    record.remote = caller.remote;
    record.peer = context->peer();
    record.method = info_->method();
    record.target = target;
    record.code = static_cast<int32_t>(status.error_code());
    record.message = status.error_message();
    WriteAudit(store_, record);
  }

  store::Store &store_;
  grpc::experimental::ServerRpcInfo *info_;
  const MethodRule &rule_;
  absl::Time started_;
  std::string target_;
  std::string created_;
  bool answered_ = false;
  bool input_sent_ = false;
};

}  // namespace

std::string AuditTargetOf(const Message &request) {
  if (std::string direct = DirectTarget(request); !direct.empty()) {
    return direct;
  }
  const google::protobuf::Descriptor *descriptor = request.GetDescriptor();
  const google::protobuf::Reflection *reflection = request.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor *field = descriptor->field(i);
    if (field->type() == FieldDescriptor::TYPE_MESSAGE && !field->is_repeated() &&
        reflection->HasField(request, field)) {
      if (std::string nested = DirectTarget(reflection->GetMessage(request, field));
          !nested.empty()) {
        return nested;
      }
    }
  }
  return {};
}

std::string AuditStatusName(int code) {
  return StatusName(static_cast<grpc::StatusCode>(code));
}

void WriteAudit(store::Store &store, store::AuditRecord &record) {
  if (absl::Status s = store.AppendAudit(record); !s.ok()) {
    std::cerr << "galed: cannot write the audit record of " << record.method << " by "
              << record.caller << ": " << s.message() << "\n";
  }
}

grpc::experimental::Interceptor *AuditInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo *info) {
  const MethodRule *rule = FindMethodRule(info->method());
  if (rule == nullptr || (!rule->audited && rule->input_role == rule->role)) {
    return nullptr;  // nothing to record for this method
  }
  return new AuditInterceptor(store_, info, *rule);
}

}  // namespace gale::daemon

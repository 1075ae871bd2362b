// Mapping between the SDK's absl::Status and gRPC's status: one place, so every service reports
// errors the same way (absl and gRPC share the canonical codes).
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace gale::daemon {

inline grpc::Status ToGrpc(const absl::Status &status) {
  if (status.ok()) {
    return grpc::Status::OK;
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

inline absl::Status FromGrpc(const grpc::Status &status) {
  if (status.ok()) {
    return absl::OkStatus();
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace gale::daemon

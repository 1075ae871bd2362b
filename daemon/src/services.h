// Factories of galed's gRPC services, one file each.
#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/service_type.h>

#include <memory>
#include <vector>

#include "context.h"

namespace gale::v1 {
class DaemonStatus;
}

namespace gale::daemon {

std::unique_ptr<grpc::Service> MakeSdkService(Context &context);
std::unique_ptr<grpc::Service> MakeBoardsService(Context &context);
std::unique_ptr<grpc::Service> MakeJobsService(Context &context);
std::unique_ptr<grpc::Service> MakeBuildsService(Context &context);
std::unique_ptr<grpc::Service> MakeDevicesService(Context &context);
std::unique_ptr<grpc::Service> MakeFlashService(Context &context);
std::unique_ptr<grpc::Service> MakeConsoleService(Context &context);
std::unique_ptr<grpc::Service> MakeTestsService(Context &context);
std::unique_ptr<grpc::Service> MakeConfigService(Context &context);
std::unique_ptr<grpc::Service> MakeShellService(Context &context);
std::unique_ptr<grpc::Service> MakeRttService(Context &context);
std::unique_ptr<grpc::Service> MakeLogsService(Context &context);
std::unique_ptr<grpc::Service> MakeFarmService(Context &context);
std::unique_ptr<grpc::Service> MakeAuditService(Context &context);
std::unique_ptr<grpc::Service> MakeTraceService(Context &context);

/// Opens the store, marks interrupted jobs, creates the job and device managers.
absl::Status InitContext(Context &context);
/// Cancels jobs, stops emulators, closes the store.
void StopContext(Context &context);
/// Every service galed serves.
std::vector<std::unique_ptr<grpc::Service>> MakeServices(Context &context);

/// Running jobs and known devices for Sdk.GetStatus.
void FillStatusCounters(Context &context, v1::DaemonStatus *status);

}  // namespace gale::daemon

// Boards: the catalog.
#include "services.h"

#include "gale/daemon/status.h"
#include "gale/v1/boards.grpc.pb.h"

namespace gale::daemon {
namespace {

void ToProto(const boards::Board &board, v1::Board *out) {
  out->set_name(board.name);
  out->set_full_name(board.full_name);
  out->set_vendor(board.vendor);
  out->set_arch(board.arch);
  out->set_soc(board.soc);
  out->set_cpu(board.cpu);
  out->set_emulator(board.emulator);
  out->set_qemu_machine(board.qemu_machine);
  out->set_ram_kb(board.ram_kb);
  out->set_flash_kb(board.flash_kb);
  out->set_dir(board.dir);
}

class BoardsService final : public v1::Boards::Service {
 public:
  explicit BoardsService(Context &context) : context_(context) {}

  grpc::Status ListBoards(grpc::ServerContext *, const v1::ListBoardsRequest *request,
                          v1::ListBoardsResponse *reply) override {
    for (const boards::Board &board : context_.catalog.boards()) {
      if (request->arch().empty() || request->arch() == board.arch) {
        ToProto(board, reply->add_boards());
      }
    }
    return grpc::Status::OK;
  }

  grpc::Status GetBoard(grpc::ServerContext *, const v1::GetBoardRequest *request,
                        v1::Board *reply) override {
    absl::StatusOr<boards::Board> board = context_.catalog.Find(request->name());
    if (!board.ok()) {
      return ToGrpc(board.status());
    }
    ToProto(*board, reply);
    return grpc::Status::OK;
  }

 private:
  Context &context_;
};

}  // namespace

std::unique_ptr<grpc::Service> MakeBoardsService(Context &context) {
  return std::make_unique<BoardsService>(context);
}

}  // namespace gale::daemon

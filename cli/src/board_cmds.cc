// gale boards
#include "commands.h"
#include "exit_codes.h"
#include "format.h"
#include "gale/v1/boards.grpc.pb.h"
#include "json.h"

namespace gale::cli {

int RunBoards(Context &ctx) {
  auto stub = gale::v1::Boards::NewStub(ctx.client.channel());
  auto context = ctx.client.NewContext();
  gale::v1::ListBoardsRequest request;
  request.set_arch(ctx.inv.boards.arch);
  gale::v1::ListBoardsResponse response;
  const grpc::Status status = stub->ListBoards(context.get(), request, &response);
  return ConcludeCall(ctx, status, response, [&] {
    Table table({"BOARD", "ARCH", "SOC", "EMULATOR", "FLASH", "RAM", "NAME"});
    for (const gale::v1::Board &board : response.boards()) {
      table.AddRow({board.name(), board.arch(), board.soc(),
                    board.emulator().empty() ? "-" : board.emulator(),
                    board.flash_kb() > 0 ? std::to_string(board.flash_kb()) + " KiB" : "-",
                    board.ram_kb() > 0 ? std::to_string(board.ram_kb()) + " KiB" : "-",
                    board.full_name()});
    }
    ctx.out << table.Render();
  });
}

}  // namespace gale::cli

// gale's exit codes (documented in cli/README.md).
#pragma once

namespace gale::cli {

inline constexpr int kExitOk = 0;
/// Any failure: a gRPC error, a failed job, a test that did not pass, no daemon.
inline constexpr int kExitFailure = 1;
/// The command line is wrong.
inline constexpr int kExitUsage = 2;
/// `gale run`: the image did not exit within --timeout.
inline constexpr int kExitRunTimeout = 124;
/// `gale run`: the application did not build (or configure).
inline constexpr int kExitRunBuildFailed = 125;
/// `gale run`: the image built but could not be run to its end (no emulator for the board,
/// flash or boot failure, the emulator died).
inline constexpr int kExitRunNotRun = 126;
/// Ended by a signal: 128 + its number (130 for Ctrl-C / SIGINT, 143 for SIGTERM).
inline constexpr int kExitSignalBase = 128;

}  // namespace gale::cli

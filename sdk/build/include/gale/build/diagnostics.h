// Structured diagnostics from the output of a target build: GCC/G++ and the GNU assembler, the
// GNU linker, gale-kconfig, dtc and gale-dts, CMake, ninja.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "gale/build/subprocess.h"

namespace gale::build {

/// How serious a diagnostic is; the numbering is that of gale.v1.Severity.
enum class Severity { kUnspecified = 0, kNote = 1, kWarning = 2, kError = 3, kFatal = 4 };

/// "note", "warning", "error", "fatal", "unspecified".
const char *SeverityName(Severity severity);

/// A message from a tool about a place in a file (gale.v1.Diagnostic).
struct Diagnostic {
  std::string file;     ///< absolute when the tool named one; empty when it named none
  uint32_t line = 0;    ///< 1-based; 0 when unknown
  uint32_t column = 0;  ///< 1-based; 0 when unknown
  Severity severity = Severity::kError;
  std::string message;  ///< the tool's text; CMake messages keep their paragraphs as lines
  /// "gcc" (compilers, preprocessor), "as", "ld", "kconfig", "dtc" (dtc and gale-dts),
  /// "cmake", "ninja".
  std::string tool;
  /// Where in the code, when the tool said so: "In function 'main'" (GCC), "in function
  /// `main'" (ld), "In instantiation of ...". Not part of `message`; a client may show both.
  std::string context;

  /// "FILE:LINE:COL: error: MESSAGE" (the parts that are known).
  std::string Format() const;
};

/// A memory region of the linker's --print-memory-usage table.
struct MemoryRegion {
  std::string name;   ///< e.g. "FLASH", "RAM"
  uint64_t used = 0;  ///< bytes
  uint64_t size = 0;  ///< bytes
};

struct DiagnosticParserOptions {
  /// Base of the relative paths the compilers and the linker print (ninja runs them there).
  std::string build_dir;
  /// Base of the relative paths CMake prints (the application folder).
  std::string source_dir;
  /// Tried last for relative paths that exist under neither (Kconfig files of the tree).
  std::string gale_base;
};

/// Turns output lines into diagnostics as they arrive, so that a build can stream them. Lines of
/// stdout and stderr may be interleaved: each stream keeps its own multi-line state (CMake
/// message blocks, GCC "In function" context). Summaries that repeat an error already reported
/// ("collect2: error: ld returned 1 exit status", dtc's "FATAL ERROR: Unable to parse input
/// tree", CMake's "Kconfig failed (errors above)") are dropped; source excerpts and caret lines
/// are skipped.
class DiagnosticParser {
 public:
  explicit DiagnosticParser(DiagnosticParserOptions options);

  /// Feeds one line without its terminator; returns the diagnostics it completed (a CMake
  /// message completes at the first line after it).
  std::vector<Diagnostic> Feed(std::string_view line, OutputStream stream = OutputStream::kStdout);
  /// Completes what is pending at the end of the output.
  std::vector<Diagnostic> Finish();

  /// The linker's --print-memory-usage table, when the output had one (the last one seen).
  const std::vector<MemoryRegion> &memory_regions() const { return memory_; }

 private:
  struct StreamState {
    bool in_cmake_block = false;
    std::vector<std::string> cmake_lines;  // header first, then the indented body
    bool in_memory_table = false;
    bool after_failed = false;  // the next line is the command ninja says failed
    std::string gcc_context_file;
    std::string gcc_context;
    std::string ld_context;
  };

  std::vector<Diagnostic> FeedLine(std::string_view line, StreamState &state);
  std::vector<Diagnostic> FinishCMakeBlock(StreamState &state);
  bool ParseToolLine(std::string_view line, StreamState &state, Diagnostic &out);
  std::string Resolve(std::string_view path, const std::string &base) const;
  void Count(const std::vector<Diagnostic> &diagnostics);

  DiagnosticParserOptions options_;
  std::map<OutputStream, StreamState> streams_;
  std::vector<MemoryRegion> memory_;
  bool memory_table_fresh_ = false;
  std::map<std::string, int> errors_by_tool_;
};

/// Parses a whole captured output (lines separated by '\n') as one stream.
std::vector<Diagnostic> ParseDiagnostics(std::string_view output,
                                         const DiagnosticParserOptions &options);

}  // namespace gale::build

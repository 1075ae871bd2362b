// JUnit XML, as Jenkins and GitLab read it.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gale/testing/result.h"

namespace gale::testing {

/// The JUnit XML of `results`: one <testsuite name="<board>.<scenario>"> per instance, one
/// <testcase classname="<board>.<scenario>.<suite>" name="<case>" time="s"> per case, with
/// <failure message=...> for a failed case, <error message=...> for a blocked one, <skipped/>
/// for a skipped one. An instance without cases is one <testcase classname="<board>.<scenario>"
/// name="<scenario>">: <error type="<status>"> for build_error / flash_error / boot_timeout /
/// timeout / crash, <failure> for failed, <skipped> for skipped. Text is escaped; characters XML
/// 1.0 cannot hold are replaced by U+FFFD.
std::string RenderJUnit(const std::vector<ScenarioResult> &results,
                        const std::string &name = "gale");

/// Writes RenderJUnit(results) to `path` (replacing it atomically through a temporary file).
/// @retval Internal the file could not be written (message names it and the OS error).
absl::Status WriteJUnit(const std::string &path, const std::vector<ScenarioResult> &results,
                        const std::string &name = "gale");

}  // namespace gale::testing

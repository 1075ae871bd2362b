#include "ide_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gale::cli {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;

PresetSpec Spec(const std::string &board) {
  PresetSpec spec;
  spec.board = board;
  spec.arch = "arm";
  spec.gale_base = "/opt/gale";
  spec.toolchain_file = "/opt/gale/sdk/cmake/toolchain/arm.cmake";
  spec.binary_dir = "${sourceDir}/build/" + board;
  return spec;
}

TEST(IdeFilesTest, NewPresetsHaveAConfigureAndABuildPresetForTheBoard) {
  absl::StatusOr<std::string> text = MergePresets(std::nullopt, Spec("qemu_cortex_m3"));
  ASSERT_TRUE(text.ok()) << text.status();
  Json doc = Json::parse(*text);
  EXPECT_EQ(doc["version"], 3);
  ASSERT_EQ(doc["configurePresets"].size(), 1u);
  const Json &configure = doc["configurePresets"][0];
  EXPECT_EQ(configure["name"], "gale-qemu_cortex_m3");
  EXPECT_EQ(configure["generator"], "Ninja");
  EXPECT_EQ(configure["toolchainFile"], "/opt/gale/sdk/cmake/toolchain/arm.cmake");
  EXPECT_EQ(configure["binaryDir"], "${sourceDir}/build/qemu_cortex_m3");
  EXPECT_EQ(configure["cacheVariables"]["BOARD"], "qemu_cortex_m3");
  EXPECT_EQ(configure["environment"]["GALE_BASE"], "/opt/gale");
  ASSERT_EQ(doc["buildPresets"].size(), 1u);
  EXPECT_EQ(doc["buildPresets"][0]["configurePreset"], "gale-qemu_cortex_m3");
}

TEST(IdeFilesTest, MergingKeepsOtherPresetsAndReplacesGalesOwn) {
  const std::string existing = R"({
    "version": 4,
    "configurePresets": [{"name": "host-debug", "binaryDir": "b"},
                         {"name": "gale-qemu_cortex_m3", "binaryDir": "old"}],
    "buildPresets": [{"name": "host-debug", "configurePreset": "host-debug"}],
    "testPresets": [{"name": "t", "configurePreset": "host-debug"}]
  })";
  absl::StatusOr<std::string> once = MergePresets(existing, Spec("qemu_cortex_m3"));
  ASSERT_TRUE(once.ok()) << once.status();
  absl::StatusOr<std::string> twice = MergePresets(*once, Spec("mps2_an385"));
  ASSERT_TRUE(twice.ok()) << twice.status();
  Json doc = Json::parse(*twice);
  EXPECT_EQ(doc["version"], 4);
  ASSERT_EQ(doc["configurePresets"].size(), 3u);
  EXPECT_EQ(doc["configurePresets"][0]["name"], "host-debug");
  EXPECT_EQ(doc["configurePresets"][1]["binaryDir"], "${sourceDir}/build/qemu_cortex_m3");
  EXPECT_EQ(doc["configurePresets"][2]["name"], "gale-mps2_an385");
  EXPECT_EQ(doc["buildPresets"].size(), 3u);
  EXPECT_EQ(doc["testPresets"].size(), 1u);
  // Idempotent.
  EXPECT_EQ(*MergePresets(*twice, Spec("mps2_an385")), *twice);
}

TEST(IdeFilesTest, MalformedPresetFilesAreRefusedWithTheReason) {
  EXPECT_THAT(MergePresets("{not json", Spec("b")).status().message(), HasSubstr("not valid JSON"));
  EXPECT_THAT(MergePresets("[1, 2]", Spec("b")).status().message(), HasSubstr("not a JSON object"));
  EXPECT_THAT(MergePresets(R"({"version": 2})", Spec("b")).status().message(),
              HasSubstr("version below 3"));
  EXPECT_THAT(MergePresets(R"({"version": 3, "buildPresets": {}})", Spec("b")).status().message(),
              HasSubstr("'buildPresets' that is not a list"));
}

TEST(IdeFilesTest, ExternalToolsAreQtCreatorSpecFilesWithEscapedText) {
  std::vector<ExternalTool> tools = QtCreatorTools();
  ASSERT_EQ(tools.size(), 4u);
  EXPECT_EQ(tools[0].id, "gale_flash");
  EXPECT_THAT(tools[0].arguments, HasSubstr("%{ActiveProject:BuildConfig:Path}"));
  ExternalTool odd{"a_b", "x.xml", "A <&> B", "\"quoted\"", "gale", "-c 'x < y'"};
  std::string xml = ExternalToolXml(odd);
  EXPECT_THAT(xml, HasSubstr("<externaltool id=\"a_b\">"));
  EXPECT_THAT(xml, HasSubstr("<displayname>A &lt;&amp;&gt; B</displayname>"));
  EXPECT_THAT(xml, HasSubstr("<description>&quot;quoted&quot;</description>"));
  EXPECT_THAT(xml, HasSubstr("<category>Gale</category>"));
  EXPECT_THAT(xml, HasSubstr("<arguments>-c 'x &lt; y'</arguments>"));
}

}  // namespace
}  // namespace gale::cli

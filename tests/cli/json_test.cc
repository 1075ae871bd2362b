#include "json.h"

#include <gtest/gtest.h>

#include "gale/v1/common.pb.h"
#include "gale/v1/devices.pb.h"
#include "gale/v1/jobs.pb.h"
#include "gale/v1/sdk.pb.h"

namespace gale::cli {
namespace {

TEST(EnumNames, PrefixComesFromTheTypeName) {
  EXPECT_EQ(EnumPrefix(*gale::v1::JobState_descriptor()), "JOB_STATE_");
  EXPECT_EQ(EnumPrefix(*gale::v1::DeviceEvent::Kind_descriptor()), "KIND_");
  EXPECT_EQ(EnumValueNameOf(gale::v1::JOB_STATE_INTERRUPTED), "interrupted");
  EXPECT_EQ(EnumValueNameOf(gale::v1::DEVICE_STATE_RUNNING), "running");
  EXPECT_EQ(EnumValueNameOf(gale::v1::DEVICE_KIND_EMULATED), "emulated");
  EXPECT_EQ(EnumValueNameOf(gale::v1::SEVERITY_WARNING), "warning");
  EXPECT_EQ(EnumValueNameOf(gale::v1::DeviceEvent::KIND_REMOVED), "removed");
}

TEST(EnumNames, ParseTakesShortAndFullNamesInAnyCase) {
  const auto &type = *gale::v1::JobState_descriptor();
  EXPECT_EQ(ParseEnumValue(type, "failed"), gale::v1::JOB_STATE_FAILED);
  EXPECT_EQ(ParseEnumValue(type, "Running"), gale::v1::JOB_STATE_RUNNING);
  EXPECT_EQ(ParseEnumValue(type, "JOB_STATE_QUEUED"), gale::v1::JOB_STATE_QUEUED);
  EXPECT_EQ(ParseEnumValue(type, "sleeping"), std::nullopt);
  EXPECT_EQ(EnumValueNames(type), "queued, running, succeeded, failed, cancelled, interrupted");
}

TEST(ToJson, JobsUseProtoNamesAndShortStates) {
  gale::v1::ListJobsResponse response;
  gale::v1::Job *job = response.add_jobs();
  job->set_id("j1");
  job->set_state(gale::v1::JOB_STATE_INTERRUPTED);
  job->set_created_us(1700000000123456);
  response.add_jobs()->set_state(gale::v1::JOB_STATE_SUCCEEDED);
  const Json json = ToJson(response);
  ASSERT_EQ(json["jobs"].size(), 2u);
  EXPECT_EQ(json["jobs"][0]["state"], "interrupted");
  EXPECT_EQ(json["jobs"][1]["state"], "succeeded");
  // 64-bit integers stay numbers; defaults are present.
  EXPECT_TRUE(json["jobs"][0]["created_us"].is_number_integer());
  EXPECT_EQ(json["jobs"][0]["created_us"].get<int64_t>(), 1700000000123456);
  EXPECT_EQ(json["jobs"][1]["exit_code"], 0);
  EXPECT_EQ(json["jobs"][1]["error"], "");

  const std::string text = ToJsonString(response);
  EXPECT_NE(text.find("\"state\": \"interrupted\""), std::string::npos) << text;
}

TEST(ToJson, DaemonStatusKeepsFieldOrderAndNumbers) {
  gale::v1::DaemonStatus status;
  status.set_version("0.1.0");
  status.set_pid(4242);
  status.set_uptime_s(1.5);
  status.add_listen("unix:/run/g.sock");
  const std::string text = ToJsonString(status);
  EXPECT_NE(text.find("\"pid\": 4242"), std::string::npos) << text;
  EXPECT_LT(text.find("\"version\""), text.find("\"pid\""));
  EXPECT_EQ(ToJson(status)["uptime_s"].get<double>(), 1.5);
  EXPECT_EQ(ToJson(status)["listen"][0], "unix:/run/g.sock");
}

TEST(ToJson, OneofAndMessageFieldsOnlyWhenSet) {
  gale::v1::JobEvent event;
  event.set_job_id("j");
  event.mutable_result()->set_state(gale::v1::JOB_STATE_FAILED);
  const Json json = ToJson(event);
  EXPECT_TRUE(json.contains("result"));
  EXPECT_FALSE(json.contains("progress"));
  EXPECT_FALSE(json["result"].contains("build"));
  EXPECT_EQ(json["result"]["state"], "failed");
}

TEST(ToJson, NonUtf8TextDoesNotBreakOutput) {
  gale::v1::LogLine line;
  line.set_text(std::string("bad \xff byte"));
  EXPECT_NE(ToJsonLine(line).find("bad"), std::string::npos);
}

TEST(ToJson, BytesAreBase64) {
  gale::v1::WriteMemoryRequest request;
  request.set_data("hi!");
  EXPECT_EQ(ToJson(request)["data"], "aGkh");
  request.set_data("h");
  EXPECT_EQ(ToJson(request)["data"], "aA==");
  request.set_data("hi");
  EXPECT_EQ(ToJson(request)["data"], "aGk=");
}

}  // namespace
}  // namespace gale::cli

// The RSP client against recorded packet exchanges (a scripted fake transport): the protocol's
// corner cases and error paths that a healthy QEMU never shows.
#include "gale/gdb/client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fake_transport.h"
#include "gale/gdb/packet.h"

namespace gale::gdb {
namespace {

using ::gale::gdb::testing::FakeTransport;
using ::gale::gdb::testing::Script;
using ::testing::HasSubstr;

std::string P(std::string_view payload) {
  return FramePacket(payload);
}

class ClientTest : public ::testing::Test {
 protected:
  // A client over the script; handshaken (no-ack mode) unless `handshake` is false.
  Client &Make(bool handshake = true, ClientOptions options = {}) {
    if (handshake) {
      script_->NoAckHandshake(features_);
    }
    client_ = std::make_unique<Client>(std::make_unique<FakeTransport>(script_), options);
    if (handshake) {
      EXPECT_TRUE(client_->Handshake().ok());
      EXPECT_TRUE(client_->no_ack());
    }
    return *client_;
  }

  void TearDown() override {
    EXPECT_TRUE(script_->Done()) << "script not followed: " << script_->Errors()
                                 << "\nclient wrote: " << script_->written();
  }

  std::shared_ptr<Script> script_ = std::make_shared<Script>();
  std::string features_ = "PacketSize=1000";
  std::unique_ptr<Client> client_;
};

TEST_F(ClientTest, HandshakeLearnsFeaturesAndEntersNoAckMode) {
  features_ = "PacketSize=3fff;qXfer:features:read-;swbreak+;vContSupported+";
  Client &client = Make();
  EXPECT_EQ(client.packet_size(), 0x3fffu);
  EXPECT_TRUE(client.Supports("swbreak"));
  EXPECT_TRUE(client.Supports("QStartNoAckMode"));
  EXPECT_FALSE(client.Supports("qXfer:features:read"));  // offered with '-'
  EXPECT_FALSE(client.Supports("multiprocess"));
  EXPECT_EQ(client.Feature("PacketSize"), "3fff");
  // In no-ack mode nothing but the packet goes out, and replies are not acknowledged.
  script_->ExpectPacket("m1000,4").ReplyPacket("01020304");
  auto bytes = client.ReadMemory(0x1000, 4);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST_F(ClientTest, HandshakeSkipsAStopReplySentOnConnect) {
  // QEMU stops a running target when a debugger connects and sends the stop reply unasked;
  // the qSupported reply comes after it, and later replies must not lag one behind.
  script_->ExpectPacket("qSupported:swbreak+;hwbreak+;vContSupported+")
      .Reply(P("T02thread:01;"))
      .Expect("+")
      .Reply("+" + P("PacketSize=1000"))
      .Expect("+")
      .ExpectPacket("m0,2")
      .Reply("+")
      .Reply(P("abcd"))
      .Expect("+");
  Client &client = Make(false);
  ASSERT_TRUE(client.Handshake().ok());
  EXPECT_EQ(client.packet_size(), 0x1000u);
  auto bytes = client.ReadMemory(0, 2);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0xab, 0xcd}));
}

TEST_F(ClientTest, StaysInAckModeWhenTheServerHasNoNoAckMode) {
  script_->ExpectPacket("qSupported:swbreak+;hwbreak+;vContSupported+")
      .Reply("+" + P("PacketSize=100"))
      .Expect("+")
      .ExpectPacket("m0,2")
      .Reply("+")
      .Reply(P("abcd"))
      .Expect("+");
  Client &client = Make(false);
  ASSERT_TRUE(client.Handshake().ok());
  EXPECT_FALSE(client.no_ack());
  EXPECT_EQ(client.packet_size(), 0x100u);
  auto bytes = client.ReadMemory(0, 2);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0xab, 0xcd}));
}

TEST_F(ClientTest, HonoursNoAckOptionOff) {
  script_->ExpectPacket("qSupported:swbreak+;hwbreak+;vContSupported+")
      .Reply("+" + P("PacketSize=100;QStartNoAckMode+"))
      .Expect("+");
  ClientOptions options;
  options.no_ack = false;
  Client &client = Make(false, options);
  ASSERT_TRUE(client.Handshake().ok());
  EXPECT_FALSE(client.no_ack());
}

TEST_F(ClientTest, RetransmitsWhenTheServerNaks) {
  script_->ExpectPacket("m0,4")
      .Reply("-")  // the server got it garbled
      .ExpectPacket("m0,4")
      .Reply("+" + P("0a0b0c0d"))
      .Expect("+");
  Client &client = Make(false);
  auto bytes = client.ReadMemory(0, 4);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{10, 11, 12, 13}));
}

TEST_F(ClientTest, GivesUpAfterRepeatedNaks) {
  script_->ExpectPacket("m0,4")
      .Reply("-")
      .ExpectPacket("m0,4")
      .Reply("-")
      .ExpectPacket("m0,4")
      .Reply("-");
  ClientOptions options;
  options.max_retransmits = 2;
  Client &client = Make(false, options);
  auto bytes = client.ReadMemory(0, 4);
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("rejected \"m0,4\" 3 times"));
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("fake:1234"));
}

TEST_F(ClientTest, NaksAReplyWithABadChecksumAndTakesTheResend) {
  script_->ExpectPacket("m0,4")
      .Reply("+$0a0b0c0d#00")  // corrupted on the way
      .Expect("-")
      .Reply(P("0a0b0c0d"))
      .Expect("+");
  Client &client = Make(false);
  auto bytes = client.ReadMemory(0, 4);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{10, 11, 12, 13}));
}

TEST_F(ClientTest, ABadChecksumInNoAckModeIsAnError) {
  Client &client = Make();
  script_->ExpectPacket("m0,4").Reply("$0a0b0c0d#zz");
  auto bytes = client.ReadMemory(0, 4);
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("checksum"));
}

TEST_F(ClientTest, ErrorRepliesNameTheRequestAndTheReply) {
  Client &client = Make();
  script_->ExpectPacket("m20000000,4").ReplyPacket("E14");
  auto bytes = client.ReadMemory(0x20000000, 4);
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("replied E14 to \"m20000000,4\""));
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("gdbserver at fake:1234"));

  script_->ExpectPacket("Z0,100,2").ReplyPacket("E.no room for breakpoints");
  absl::Status status = client.InsertBreakpoint(0x100);
  EXPECT_THAT(std::string(status.message()), HasSubstr("E.no room for breakpoints"));
}

TEST_F(ClientTest, ExpandsRunLengthEncodedReplies) {
  Client &client = Make();
  // "0* " is '0' and 3 more (' ' is 29 + 3); "f*\"" is 'f' and 5 more.
  script_->ExpectPacket("m0,8").Reply(P("0* 0000ff*\"f"));
  auto bytes = client.ReadMemory(0, 8);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}));
}

TEST_F(ClientTest, UnescapesBinaryReplies) {
  Client &client = Make();
  // A target description chunk holding every byte that must be escaped.
  const std::string escaped = std::string("l<a>") + "}\x03" + "}\x04" + "}]" + "}\x0a" + "</a>";
  script_->ExpectPacket("qXfer:features:read:target.xml:0,fe0").Reply(P(escaped));
  auto document = client.ReadFeatureDocument("target.xml");
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(*document, "<a>#$}*</a>");
}

TEST_F(ClientTest, ReadsAMultiPartFeatureDocument) {
  Client &client = Make();
  script_->ExpectPacket("qXfer:features:read:target.xml:0,fe0")
      .ReplyPacket("m<target>")
      .ExpectPacket("qXfer:features:read:target.xml:8,fe0")
      .ReplyPacket("l</target>");
  auto document = client.ReadFeatureDocument("target.xml");
  ASSERT_TRUE(document.ok()) << document.status();
  EXPECT_EQ(*document, "<target></target>");
}

TEST_F(ClientTest, HandshakeReadsTheTargetDescriptionWithIncludes) {
  features_ = "PacketSize=1000;qXfer:features:read+";
  script_->ExpectPacket("qSupported:swbreak+;hwbreak+;vContSupported+")
      .Reply("+" + P(features_ + ";QStartNoAckMode+"))
      .Expect("+")
      .ExpectPacket("QStartNoAckMode")
      .Reply("+" + P("OK"))
      .Expect("+")
      .ExpectPacket("qXfer:features:read:target.xml:0,fe0")
      .ReplyPacket(
          "l<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target>"
          "<architecture>arm</architecture><xi:include href=\"core.xml\"/></target>")
      .ExpectPacket("qXfer:features:read:core.xml:0,fe0")
      .ReplyPacket(
          "l<feature name=\"org.gnu.gdb.arm.m-profile\"><!-- r0 first -->"
          "<reg name=\"r0\" bitsize=\"32\"/><reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>"
          "<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>"
          "<reg name=\"xpsr\" bitsize=\"32\" regnum=\"25\"/></feature>");
  client_ = std::make_unique<Client>(std::make_unique<FakeTransport>(script_));
  ASSERT_TRUE(client_->Handshake().ok());
  auto xpsr = client_->FindRegister("xPSR");
  ASSERT_TRUE(xpsr.ok()) << xpsr.status();
  EXPECT_EQ(xpsr->number, 25);
  EXPECT_EQ(client_->FindRegister("pc")->number, 2);
  auto missing = client_->FindRegister("cpsr");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("r0 sp pc xpsr"));

  // P takes the size from the description: 32 bits, little-endian.
  script_->ExpectPacket("P19=00000001").ReplyPacket("OK");
  EXPECT_TRUE(client_->WriteRegister(25, 0x01000000).ok());
}

TEST_F(ClientTest, ContinueStepsOffABreakpointAtThePc) {
  features_ = "PacketSize=1000;qXfer:features:read+";
  script_->NoAckHandshake(features_)
      .ExpectPacket("qXfer:features:read:target.xml:0,fe0")
      .ReplyPacket(
          "l<target><reg name=\"r0\" bitsize=\"32\"/><reg name=\"pc\" bitsize=\"32\"/></target>");
  client_ = std::make_unique<Client>(std::make_unique<FakeTransport>(script_));
  ASSERT_TRUE(client_->Handshake().ok());
  script_->ExpectPacket("Z0,100,2").ReplyPacket("OK");
  ASSERT_TRUE(client_->InsertBreakpoint(0x100).ok());

  // Stopped elsewhere: a plain continue.
  script_->ExpectPacket("p1").ReplyPacket("f0000000").ExpectPacket("c").ReplyPacket("T05");
  ASSERT_TRUE(client_->Continue().ok());
  ASSERT_TRUE(client_->WaitStop(absl::Seconds(1)).ok());

  // Stopped at the breakpoint: lift it, step, put it back, continue.
  script_->ExpectPacket("p1")
      .ReplyPacket("00010000")
      .ExpectPacket("z0,100,2")
      .ReplyPacket("OK")
      .ExpectPacket("s")
      .ReplyPacket("T05")
      .ExpectPacket("Z0,100,2")
      .ReplyPacket("OK")
      .ExpectPacket("c")
      .ReplyPacket("T05");
  ASSERT_TRUE(client_->Continue().ok());
  ASSERT_TRUE(client_->WaitStop(absl::Seconds(1)).ok());

  // The step stops for another reason: no `c`, and WaitStop reports that stop.
  script_->ExpectPacket("p1")
      .ReplyPacket("00010000")
      .ExpectPacket("z0,100,2")
      .ReplyPacket("OK")
      .ExpectPacket("s")
      .ReplyPacket("S0b");  // a fault: reported, not run past
  script_->ExpectPacket("Z0,100,2").ReplyPacket("OK");
  ASSERT_TRUE(client_->Continue().ok());
  EXPECT_TRUE(client_->running());
  auto stop = client_->WaitStop(absl::Seconds(1));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->signal, 11);

  // Once removed, the breakpoint is not stepped over any more.
  script_->ExpectPacket("z0,100,2").ReplyPacket("OK").ExpectPacket("c").ReplyPacket("T05");
  ASSERT_TRUE(client_->RemoveBreakpoint(0x100).ok());
  ASSERT_TRUE(client_->Continue().ok());
  ASSERT_TRUE(client_->WaitStop(absl::Seconds(1)).ok());
  script_->ExpectPacket("Z0,100,2").ReplyPacket("OK");
  ASSERT_TRUE(client_->InsertBreakpoint(0x100).ok());

  // The step itself ends the program: no breakpoint to restore, no `c`; WaitStop reports it.
  script_->ExpectPacket("p1")
      .ReplyPacket("00010000")
      .ExpectPacket("z0,100,2")
      .ReplyPacket("OK")
      .ExpectPacket("s")
      .ReplyPacket("W00");
  ASSERT_TRUE(client_->Continue().ok());
  auto exited = client_->WaitStop(absl::Seconds(1));
  ASSERT_TRUE(exited.ok()) << exited.status();
  EXPECT_EQ(exited->kind, StopReply::Kind::kExited);
}

TEST_F(ClientTest, WithoutATargetDescriptionFindRegisterIsUnimplemented) {
  Client &client = Make();
  script_->ExpectPacket("qXfer:features:read:target.xml:0,fe0").ReplyPacket("");
  auto reg = client.FindRegister("pc");
  EXPECT_EQ(reg.status().code(), absl::StatusCode::kUnimplemented);
}

TEST_F(ClientTest, CollectsConsoleOutputWhileWaitingForAStop) {
  Client &client = Make();
  script_->ExpectPacket("c");
  ASSERT_TRUE(client.Continue().ok());
  EXPECT_TRUE(client.running());
  script_->ReplyPacket("O" + HexEncode(std::string_view("Hello ")))
      .ReplyPacket("O" + HexEncode(std::string_view("World\n")))
      .ReplyPacket("T05thread:01;");
  auto stop = client.WaitStop(absl::Seconds(1));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kSignal);
  EXPECT_EQ(stop->signal, 5);
  EXPECT_EQ(stop->raw, "T05thread:01;");
  EXPECT_FALSE(client.running());
  EXPECT_EQ(client.TakeConsoleOutput(), "Hello World\n");
  EXPECT_EQ(client.TakeConsoleOutput(), "");
}

TEST_F(ClientTest, SendsConsoleOutputToTheCallback) {
  std::string seen;
  ClientOptions options;
  options.console_output = [&](std::string_view text) { seen += text; };
  Client &client = Make(true, options);
  script_->ExpectPacket("c")
      .ReplyPacket("O" + HexEncode(std::string_view("boot\n")))
      .ReplyPacket("W03");
  ASSERT_TRUE(client.Continue().ok());
  auto stop = client.WaitStop(absl::Seconds(1));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kExited);
  EXPECT_EQ(stop->exit_code, 3);
  EXPECT_EQ(seen, "boot\n");
  EXPECT_EQ(client.TakeConsoleOutput(), "");
}

TEST_F(ClientTest, ParsesTerminationStopReplies) {
  Client &client = Make();
  script_->ExpectPacket("c").ReplyPacket("X0b");
  ASSERT_TRUE(client.Continue().ok());
  auto stop = client.WaitStop(absl::Seconds(1));
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kTerminated);
  EXPECT_EQ(stop->signal, 11);
}

TEST_F(ClientTest, WaitStopTimesOutAndTheTargetStaysRunning) {
  Client &client = Make();
  script_->ExpectPacket("c");
  ASSERT_TRUE(client.Continue().ok());
  auto stop = client.WaitStop(absl::Milliseconds(10));
  EXPECT_EQ(stop.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(stop.status().message()), HasSubstr("still running"));
  EXPECT_TRUE(client.running());
  // While it runs, ordinary requests are refused rather than sent.
  auto bytes = client.ReadMemory(0, 4);
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(bytes.status().message()), HasSubstr("running"));

  script_->Expect("\x03").ReplyPacket("T02thread:01;");
  auto interrupted = client.Interrupt();
  ASSERT_TRUE(interrupted.ok()) << interrupted.status();
  EXPECT_EQ(interrupted->signal, 2);
  EXPECT_FALSE(client.running());
}

TEST_F(ClientTest, InterruptReturnsAStopThatAlreadyArrived) {
  Client &client = Make();
  script_->ExpectPacket("c").ReplyPacket("W00").Close();  // exited and gone before the interrupt
  ASSERT_TRUE(client.Continue().ok());
  auto stop = client.Interrupt();  // no 0x03 is written: the script would reject it
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->kind, StopReply::Kind::kExited);
  EXPECT_FALSE(client.running());
}

TEST_F(ClientTest, WaitStopWithZeroTimeoutPolls) {
  Client &client = Make();
  script_->ExpectPacket("c");
  ASSERT_TRUE(client.Continue().ok());
  EXPECT_EQ(client.WaitStop(absl::ZeroDuration()).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  script_->ReplyPacket("T05");
  auto stop = client.WaitStop(absl::ZeroDuration());
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->signal, 5);
}

TEST_F(ClientTest, InterruptOfAStoppedTargetAsksWhyItStopped) {
  Client &client = Make();
  script_->ExpectPacket("?").ReplyPacket("S05");
  auto stop = client.Interrupt();
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->signal, 5);
}

TEST_F(ClientTest, StepReturnsTheStopReply) {
  Client &client = Make();
  script_->ExpectPacket("s").ReplyPacket("T05");
  auto stop = client.Step();
  ASSERT_TRUE(stop.ok()) << stop.status();
  EXPECT_EQ(stop->signal, 5);
}

TEST_F(ClientTest, AnUnexpectedReplyToAStopIsAnError) {
  Client &client = Make();
  script_->ExpectPacket("s").ReplyPacket("OK");
  auto stop = client.Step();
  EXPECT_EQ(stop.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(stop.status().message()), HasSubstr("expected a stop reply"));
}

TEST_F(ClientTest, ATimeoutNamesTheRequest) {
  ClientOptions options;
  options.reply_timeout = absl::Milliseconds(20);
  Client &client = Make(true, options);
  script_->ExpectPacket("g");  // no reply ever comes
  auto registers = client.ReadRegisters();
  EXPECT_EQ(registers.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_THAT(std::string(registers.status().message()), HasSubstr("did not answer within 20ms"));
  EXPECT_THAT(std::string(registers.status().message()), HasSubstr("\"g\""));
}

TEST_F(ClientTest, AServerThatClosesTheConnectionIsUnavailable) {
  Client &client = Make();
  script_->ExpectPacket("m0,4").Reply("$0102").Close();  // dies in the middle of a reply
  auto bytes = client.ReadMemory(0, 4);
  EXPECT_EQ(bytes.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(bytes.status().message()),
              HasSubstr("gdbserver at fake:1234 closed the connection"));
  // The client knows the connection is gone and says so without writing.
  auto again = client.ReadMemory(0, 4);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr("gdbserver at fake:1234 is closed"));
}

TEST_F(ClientTest, AServerThatClosesWhileTheTargetRunsIsUnavailable) {
  Client &client = Make();
  script_->ExpectPacket("c").Close();
  ASSERT_TRUE(client.Continue().ok());
  auto stop = client.WaitStop(absl::Seconds(1));
  EXPECT_EQ(stop.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(client.running());
}

TEST_F(ClientTest, FallsBackToMWhenTheServerHasNoX) {
  Client &client = Make();
  const std::vector<uint8_t> data = {0x01, '#', 0x02};
  script_->ExpectPacket("X100,3:\x01}\x03\x02")
      .ReplyPacket("")  // no X
      .ExpectPacket("M100,3:012302")
      .ReplyPacket("OK")
      .ExpectPacket("M200,1:ff")  // and M from then on, without trying X again
      .ReplyPacket("OK");
  EXPECT_TRUE(client.WriteMemory(0x100, data).ok());
  EXPECT_TRUE(client.WriteMemory(0x200, std::vector<uint8_t>{0xff}).ok());
}

TEST_F(ClientTest, EscapesBinaryWrites) {
  Client &client = Make();
  const std::vector<uint8_t> data = {'$', '#', '}', '*', 'a'};
  script_
      ->ExpectPacket(
          "X0,5:}\x04}\x03}]}\x0a"
          "a")
      .ReplyPacket("OK");
  EXPECT_TRUE(client.WriteMemory(0, data).ok());
}

TEST_F(ClientTest, SplitsTransfersByPacketSize) {
  features_ = "PacketSize=60";  // 96 bytes: 64 of payload after the client's margin
  Client &client = Make();
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<uint8_t>('a' + i % 26);  // nothing to escape: sizes stay predictable
  }
  // X: the header "X1000,64:" is 9 bytes, so 55 data bytes a packet.
  script_->ExpectPacket("X1000,37:" + std::string(data.begin(), data.begin() + 55))
      .ReplyPacket("OK")
      .ExpectPacket("X1037,2d:" + std::string(data.begin() + 55, data.end()))
      .ReplyPacket("OK");
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  ASSERT_TRUE(
      client
          .WriteMemory(0x1000, data,
                       [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); })
          .ok());
  EXPECT_EQ(progress, (std::vector<std::pair<uint64_t, uint64_t>>{{55, 100}, {100, 100}}));

  // m: 64 hex digits of reply a packet, 32 bytes.
  script_->ExpectPacket("m1000,20")
      .ReplyPacket(HexEncode(std::span(data).first(32)))
      .ExpectPacket("m1020,20")
      .ReplyPacket(HexEncode(std::span(data).subspan(32, 32)))
      .ExpectPacket("m1040,20")
      .ReplyPacket(HexEncode(std::span(data).subspan(64, 32)))
      .ExpectPacket("m1060,4")
      .ReplyPacket(HexEncode(std::span(data).subspan(96, 4)));
  auto back = client.ReadMemory(0x1000, 100);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, data);
}

TEST_F(ClientTest, ContinuesAShortMemoryRead) {
  Client &client = Make();
  script_->ExpectPacket("m0,4").ReplyPacket("0102").ExpectPacket("m2,2").ReplyPacket("0304");
  auto bytes = client.ReadMemory(0, 4);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST_F(ClientTest, RejectsAMalformedMemoryReply) {
  Client &client = Make();
  script_->ExpectPacket("m0,2").ReplyPacket("01020304");  // more than asked for
  EXPECT_EQ(client.ReadMemory(0, 2).status().code(), absl::StatusCode::kInternal);
  script_->ExpectPacket("m0,2").ReplyPacket("0g");
  EXPECT_EQ(client.ReadMemory(0, 2).status().code(), absl::StatusCode::kInternal);
}

TEST_F(ClientTest, RegistersAreLittleEndian) {
  Client &client = Make();
  script_->ExpectPacket("g").ReplyPacket(
      "78563412"
      "00000020");
  auto all = client.ReadRegisters();
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->size(), 8u);

  script_->ExpectPacket("pf").ReplyPacket("f1000000");
  auto pc = client.ReadRegister(15);
  ASSERT_TRUE(pc.ok()) << pc.status();
  EXPECT_EQ(*pc, 0xf1u);
  // The size learnt from `p` sizes the write.
  script_->ExpectPacket("Pf=f0000000").ReplyPacket("OK");
  EXPECT_TRUE(client.WriteRegister(15, 0xf0).ok());
  // An unknown register is read first to learn its size (64 bits here).
  script_->ExpectPacket("p20")
      .ReplyPacket("0000000000000080")
      .ExpectPacket("P20=0100008000000000")
      .ReplyPacket("OK");
  EXPECT_TRUE(client.WriteRegister(32, 0x80000001).ok());
}

TEST_F(ClientTest, UnsupportedPacketsAreUnimplemented) {
  Client &client = Make();
  script_->ExpectPacket("p19").ReplyPacket("");
  auto reg = client.ReadRegister(25);
  EXPECT_EQ(reg.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(reg.status().message()), HasSubstr("(p)"));
  script_->ExpectPacket("Z1,100,2").ReplyPacket("");
  absl::Status status = client.InsertBreakpoint(0x100, true);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(std::string(status.message()), HasSubstr("hardware breakpoints"));
  script_->ExpectPacket("z0,100,2").ReplyPacket("OK");
  EXPECT_TRUE(client.RemoveBreakpoint(0x100).ok());
}

TEST_F(ClientTest, MonitorCollectsItsOutput) {
  Client &client = Make();
  script_->ExpectPacket("qRcmd," + HexEncode(std::string_view("info version")))
      .ReplyPacket("O" + HexEncode(std::string_view("7.2.22")))
      .ReplyPacket("O" + HexEncode(std::string_view("\n")))
      .ReplyPacket("OK");
  auto output = client.Monitor("info version");
  ASSERT_TRUE(output.ok()) << output.status();
  EXPECT_EQ(*output, "7.2.22\n");
  EXPECT_EQ(client.TakeConsoleOutput(), "");  // monitor output is the command's, not console

  script_->ExpectPacket("qRcmd," + HexEncode(std::string_view("reset")))
      .ReplyPacket(HexEncode(std::string_view("done")));
  EXPECT_EQ(*client.Monitor("reset"), "done");

  script_->ExpectPacket("qRcmd," + HexEncode(std::string_view("bogus"))).ReplyPacket("");
  EXPECT_EQ(client.Monitor("bogus").status().code(), absl::StatusCode::kUnimplemented);
}

TEST_F(ClientTest, KillUsesVKill) {
  Client &client = Make();
  script_->ExpectPacket("vKill;1").ReplyPacket("OK");
  EXPECT_TRUE(client.Kill().ok());
  EXPECT_EQ(client.ReadMemory(0, 1).status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(ClientTest, KillFallsBackToK) {
  Client &client = Make();
  script_->ExpectPacket("vKill;1").ReplyPacket("").ExpectPacket("k").Close();
  EXPECT_TRUE(client.Kill().ok());
}

TEST_F(ClientTest, KillOfAServerThatExitsAtOnceSucceeds) {
  Client &client = Make();
  script_->ExpectPacket("vKill;1").Close();
  EXPECT_TRUE(client.Kill().ok());
}

TEST_F(ClientTest, SkipsNoiseBetweenPackets) {
  Client &client = Make();
  script_->ExpectPacket("m0,1").Reply("+++garbage").Reply("$4").Reply("2#").Reply("66");
  auto bytes = client.ReadMemory(0, 1);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  EXPECT_EQ(*bytes, (std::vector<uint8_t>{0x42}));
}

}  // namespace
}  // namespace gale::gdb

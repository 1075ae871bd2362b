// A scripted gdbserver for unit tests of the client: the script lists, in order, the bytes the
// client must write and the bytes the "server" answers with. A write that departs from the
// script is an error; a read with nothing scripted to read is a timeout (at once, without
// waiting), and a scripted close makes reads and writes fail as a closed socket does.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gale/gdb/client.h"
#include "gale/gdb/packet.h"

namespace gale::gdb::testing {

class Script {
 public:
  /// The client must write exactly these bytes next (acks, packets, the interrupt byte).
  Script &Expect(std::string bytes) {
    steps_.push_back({Step::kExpect, std::move(bytes)});
    return *this;
  }
  /// Expect the framed packet `payload`.
  Script &ExpectPacket(std::string_view payload) { return Expect(FramePacket(payload)); }
  /// The server sends these bytes (one Read() returns them, as one chunk).
  Script &Reply(std::string bytes) {
    steps_.push_back({Step::kReply, std::move(bytes)});
    return *this;
  }
  /// The server sends the framed packet `payload`.
  Script &ReplyPacket(std::string_view payload) { return Reply(FramePacket(payload)); }
  /// The server closes the connection.
  Script &Close() {
    steps_.push_back({Step::kClose, ""});
    return *this;
  }

  /// The qSupported exchange of Client::Handshake() with a server that offers no-ack mode and
  /// `features`; after it, no acks are exchanged.
  Script &NoAckHandshake(std::string_view features = "PacketSize=1000") {
    ExpectPacket("qSupported:swbreak+;hwbreak+;vContSupported+");
    Reply("+" + FramePacket(std::string(features) + ";QStartNoAckMode+"));
    Expect("+");
    ExpectPacket("QStartNoAckMode");
    Reply("+" + FramePacket("OK"));
    Expect("+");
    return *this;
  }

  /// True when every step was consumed and the client never departed from the script.
  /// Every reply was read, too.
  bool Done() {
    Advance();
    return next_ == steps_.size() && pending_.empty() && readable_.empty() && errors_.empty();
  }
  std::string Errors() const { return errors_; }
  /// Everything the client wrote.
  const std::string &written() const { return written_; }

  absl::Status Write(std::string_view bytes) {
    written_ += bytes;
    if (closed_) {
      return absl::UnavailableError("gdbserver at fake:1234 closed the connection");
    }
    pending_ += bytes;
    while (!pending_.empty()) {
      Advance();
      if (next_ == steps_.size() || steps_[next_].kind != Step::kExpect) {
        errors_ += absl::StrCat("unexpected write \"", pending_, "\"\n");
        pending_.clear();
        return absl::InternalError("unexpected write");
      }
      const std::string &expected = steps_[next_].bytes;
      const size_t n = std::min(expected.size() - matched_, pending_.size());
      if (pending_.compare(0, n, expected, matched_, n) != 0) {
        errors_ += absl::StrCat("wrote \"", pending_, "\", expected \"", expected.substr(matched_),
                                "\"\n");
        pending_.clear();
        return absl::InternalError("write departs from the script");
      }
      matched_ += n;
      pending_.erase(0, n);
      if (matched_ == expected.size()) {
        matched_ = 0;
        ++next_;
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Read(absl::Duration) {
    Advance();
    if (!readable_.empty()) {
      std::string chunk = std::move(readable_.front());
      readable_.pop_front();
      return chunk;
    }
    if (closed_) {
      return absl::UnavailableError("gdbserver at fake:1234 closed the connection");
    }
    return absl::DeadlineExceededError("no data from fake gdbserver");
  }

 private:
  struct Step {
    enum Kind { kExpect, kReply, kClose } kind;
    std::string bytes;
  };

  // Makes the replies (and a close) that follow the last consumed expectation readable.
  void Advance() {
    if (matched_ != 0) {
      return;  // inside a partially written expectation
    }
    while (next_ < steps_.size() && steps_[next_].kind != Step::kExpect) {
      if (steps_[next_].kind == Step::kReply) {
        readable_.push_back(steps_[next_].bytes);
      } else {
        closed_ = true;
      }
      ++next_;
    }
  }

  std::vector<Step> steps_;
  size_t next_ = 0;
  size_t matched_ = 0;  // bytes of steps_[next_] already written
  std::string pending_;
  std::deque<std::string> readable_;
  bool closed_ = false;
  std::string written_;
  std::string errors_;
};

class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(std::shared_ptr<Script> script) : script_(std::move(script)) {}
  absl::Status Write(std::string_view bytes) override { return script_->Write(bytes); }
  absl::StatusOr<std::string> Read(absl::Duration timeout) override {
    return script_->Read(timeout);
  }
  std::string Describe() const override { return "gdbserver at fake:1234"; }

 private:
  std::shared_ptr<Script> script_;
};

}  // namespace gale::gdb::testing

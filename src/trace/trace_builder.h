/// Test helper: writes Go execution traces byte by byte, so a format fact becomes a one-line
/// test input. Header-only; used by the *_test.cc files.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "trace/spec.h"

namespace ctxtrail::trace::testing {

inline constexpr uint64_t kNoM = ~uint64_t{0};

/// Appends `v` as a varint; `width` > 0 pads it to that many bytes (as the runtime does for
/// batch sizes).
inline void put_uvarint(std::string& out, uint64_t v, int width = 0) {
  if (width > 0) {
    for (int i = 0; i < width; i++, v >>= 7) {
      out += static_cast<char>((v & 0x7f) | (i < width - 1 ? 0x80 : 0));
    }
    return;
  }
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

/// One batch payload under construction.
struct Payload {
  std::string bytes;

  /// A timed event: type, time delta, arguments.
  Payload& ev(uint8_t type, uint64_t dt, std::initializer_list<uint64_t> args = {}) {
    bytes += static_cast<char>(type);
    put_uvarint(bytes, dt);
    for (uint64_t a : args) put_uvarint(bytes, a);
    return *this;
  }
  Payload& raw(std::string_view b) {
    bytes += b;
    return *this;
  }
};

class TraceBuilder {
 public:
  explicit TraceBuilder(int version = wire::kGo126, bool padded_sizes = false)
      : version_(version), padded_(padded_sizes) {
    out_ = "go 1." + std::to_string(version) + " trace";
    out_.append(3, '\0');
  }

  /// An event batch (or any batch: the payload's first byte decides).
  TraceBuilder& batch(uint64_t gen, uint64_t m, uint64_t time, const Payload& p) {
    out_ += static_cast<char>(wire::EvEventBatch);
    header(gen, m, time, p.bytes.size());
    out_ += p.bytes;
    return *this;
  }
  TraceBuilder& experimental(uint8_t exp, uint64_t gen, uint64_t m, uint64_t time, std::string_view data) {
    out_ += static_cast<char>(wire::EvExperimentalBatch);
    out_ += static_cast<char>(exp);
    header(gen, m, time, data.size());
    out_ += data;
    return *this;
  }
  /// The frequency (before 1.25) or sync batch (1.25+) with freq ticks/s, 1 ns per tick by default.
  TraceBuilder& sync(uint64_t gen, uint64_t time, uint64_t freq = 1000000000) {
    Payload p;
    if (version_ >= wire::kGo125) p.bytes += static_cast<char>(wire::EvSync);
    p.bytes += static_cast<char>(wire::EvFrequency);
    put_uvarint(p.bytes, freq);
    if (version_ >= wire::kGo125) {
      p.bytes += static_cast<char>(wire::EvClockSnapshot);
      for (uint64_t v : {uint64_t{0}, uint64_t{1000}, uint64_t{1700000000}, uint64_t{0}}) put_uvarint(p.bytes, v);
    }
    return batch(gen, kNoM, time, p);
  }
  TraceBuilder& strings(uint64_t gen, std::vector<std::pair<uint64_t, std::string>> entries) {
    Payload p;
    p.bytes += static_cast<char>(wire::EvStrings);
    for (auto& [id, s] : entries) {
      p.bytes += static_cast<char>(wire::EvString);
      put_uvarint(p.bytes, id);
      put_uvarint(p.bytes, s.size());
      p.bytes += s;
    }
    return batch(gen, kNoM, 1, p);
  }
  struct RawFrame {
    uint64_t pc, func, file, line;
  };
  TraceBuilder& stacks(uint64_t gen, std::vector<std::pair<uint64_t, std::vector<RawFrame>>> entries) {
    Payload p;
    p.bytes += static_cast<char>(wire::EvStacks);
    for (auto& [id, frames] : entries) {
      p.bytes += static_cast<char>(wire::EvStack);
      put_uvarint(p.bytes, id);
      put_uvarint(p.bytes, frames.size());
      for (const RawFrame& f : frames)
        for (uint64_t v : {f.pc, f.func, f.file, f.line}) put_uvarint(p.bytes, v);
    }
    return batch(gen, kNoM, 1, p);
  }
  struct Sample {
    uint64_t time, m, p, g, stack;
  };
  TraceBuilder& cpu_samples(uint64_t gen, std::vector<Sample> samples) {
    Payload p;
    p.bytes += static_cast<char>(wire::EvCPUSamples);
    for (const Sample& s : samples) {
      p.bytes += static_cast<char>(wire::EvCPUSample);
      for (uint64_t v : {s.time, s.m, s.p, s.g, s.stack}) put_uvarint(p.bytes, v);
    }
    return batch(gen, kNoM, 1, p);
  }
  /// Go 1.26's end-of-generation byte.
  TraceBuilder& end_gen() {
    out_ += static_cast<char>(wire::EvEndOfGeneration);
    return *this;
  }
  TraceBuilder& raw(std::string_view b) {
    out_ += b;
    return *this;
  }
  const std::string& bytes() const { return out_; }

 private:
  void header(uint64_t gen, uint64_t m, uint64_t time, size_t size) {
    put_uvarint(out_, gen);
    put_uvarint(out_, m);
    put_uvarint(out_, time);
    put_uvarint(out_, size, padded_ ? 10 : 0);
  }

  int version_;
  bool padded_;
  std::string out_;
};

}  // namespace ctxtrail::trace::testing

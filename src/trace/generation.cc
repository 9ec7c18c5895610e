/// Reading one generation: batches are sorted into event batches (kept for the cursors) and
/// structural batches (strings, stacks, CPU samples, sync, experimental), decoded at once.
#include "trace/generation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "trace/go_sort.h"
#include "trace/varint.h"

namespace ctxtrail::trace {
namespace {

/// A cursor over one batch payload for the structural decoders.
struct PayloadReader {
  const uint8_t* p;
  const uint8_t* end;
  uint64_t base_offset;
  const uint8_t* begin;

  bool done() const { return p == end; }
  uint64_t offset() const { return base_offset + static_cast<uint64_t>(p - begin); }
  bool* eof_like = nullptr;
  Status fail(std::string msg) const { return Error{{}, offset(), {}, std::move(msg)}; }
  bool byte(uint8_t* out) {
    if (p == end) return false;
    *out = *p++;
    return true;
  }
  /// Reads a varint; on failure answers Go's io error text.
  bool varint(uint64_t* out, std::string* why) {
    int n = read_uvarint(p, end, out);
    if (n > 0) {
      p += n;
      return true;
    }
    *why = n < 0 ? "varint overflows a 64-bit integer" : (p == end ? "EOF" : "unexpected EOF");
    if (p == end && eof_like != nullptr) *eof_like = true;
    return false;
  }
};

/// Decodes a varint with at least kMaxVarintLen bytes readable at q; false on overflow.
[[gnu::always_inline]] inline bool varint_unchecked(const uint8_t*& q, uint64_t* out) {
  if (q[0] < 0x80) [[likely]] {
    *out = q[0];
    q++;
    return true;
  }
  const int n = read_uvarint(q, q + kMaxVarintLen, out);
  q += n > 0 ? n : 0;
  return n > 0;
}

PayloadReader payload(const Batch& b, bool* eof_like) {
  return PayloadReader{b.data, b.data + b.size, b.payload_offset, b.data, eof_like};
}

Status add_strings(Generation& g, GenerationContext& ctx, const Batch& b) {
  PayloadReader r = payload(b, &ctx.eof_like);
  r.p++;  // EvStrings
  std::string why;
  while (!r.done()) {
    uint8_t ev = 0;
    r.byte(&ev);
    if (ev != wire::EvString) return r.fail(fmt::format("expected string event, got {}", ev));
    uint64_t id = 0, len = 0;
    if (!r.varint(&id, &why) || !r.varint(&len, &why)) return r.fail("reading string: " + why);
    if (len > wire::kMaxStringSize) {
      return r.fail(fmt::format("invalid string size {}, maximum is {}", len, wire::kMaxStringSize));
    }
    const auto left = static_cast<uint64_t>(r.end - r.p);
    if (len > left) return r.fail(fmt::format("failed to read full string: read {} but wanted {}", left, len));
    std::string_view s(reinterpret_cast<const char*>(r.p), len);
    r.p += len;
    if (!g.strings.insert(id, ctx.strings.intern(s))) {
      return r.fail(fmt::format("multiple strings with the same ID: id={}", id));
    }
  }
  return Status::Ok();
}

Status add_stacks(Generation& g, GenerationContext& ctx, StackScratch& scratch, const Batch& b) {
  PayloadReader r = payload(b, &ctx.eof_like);
  r.p++;  // EvStacks
  std::string why;
  while (!r.done()) {
    uint8_t ev = 0;
    r.byte(&ev);
    if (ev != wire::EvStack) return r.fail(fmt::format("expected stack event, got {}", ev));
    uint64_t id = 0, n = 0;
    if (!r.varint(&id, &why) || !r.varint(&n, &why)) return r.fail("reading stack: " + why);
    if (n > wire::kMaxFramesPerStack) {
      return r.fail(fmt::format("invalid stack size {}, maximum is {}", n, wire::kMaxFramesPerStack));
    }
    StackScratch::RawStack st{id, static_cast<uint32_t>(scratch.frame_of.size()), static_cast<uint32_t>(n)};
    for (uint64_t i = 0; i < n; i++) {
      StackScratch::RawFrame f;
      // Far from the end a frame's four varints need no bounds checks; near it (or on an
      // overflow) the checked reader decodes them again and names the error.
      const uint8_t* q = r.p;
      if (r.end - q < 4 * kMaxVarintLen || !varint_unchecked(q, &f.pc) || !varint_unchecked(q, &f.func) ||
          !varint_unchecked(q, &f.file) || !varint_unchecked(q, &f.line)) [[unlikely]] {
        if (!r.varint(&f.pc, &why) || !r.varint(&f.func, &why) || !r.varint(&f.file, &why) ||
            !r.varint(&f.line, &why)) {
          return r.fail(fmt::format("reading frame {} of stack {}: {}", i + 1, id, why));
        }
      } else {
        r.p = q;
      }
      // The PC is a 64-bit value; FlatIndex keys are int64: the same bits.
      const auto key = static_cast<int64_t>(f.pc);
      uint32_t at = scratch.by_pc.find(key);
      if (at == FlatIndex::kNone) {
        at = static_cast<uint32_t>(scratch.frames.size());
        scratch.frames.push_back(f);
        scratch.by_pc.insert(key, at);
      }
      scratch.frame_of.push_back(at);
    }
    // Stack IDs are checked for duplicates here; their global IDs are filled in later.
    if (!g.stacks.insert(id, 0)) return r.fail(fmt::format("multiple stacks with the same ID: id={}", id));
    scratch.stacks.push_back(st);
  }
  return Status::Ok();
}

Status add_cpu_samples(Generation& g, GenerationContext& ctx, const Batch& b) {
  PayloadReader r = payload(b, &ctx.eof_like);
  r.p++;  // EvCPUSamples
  std::string why;
  while (!r.done()) {
    uint8_t ev = 0;
    r.byte(&ev);
    if (ev != wire::EvCPUSample) return r.fail(fmt::format("expected CPU sample event, got {}", ev));
    uint64_t ts = 0, m = 0, p = 0, gid = 0, stack = 0;
    if (!r.varint(&ts, &why) || !r.varint(&m, &why) || !r.varint(&p, &why) ||
        !r.varint(&gid, &why) || !r.varint(&stack, &why)) {
      return r.fail("reading CPU sample: " + why);
    }
    CpuSample s;
    s.time = static_cast<int64_t>(ts);
    s.m = static_cast<int64_t>(m);
    s.p = static_cast<int64_t>(p);
    s.g = gid == 0 ? -1 : static_cast<int64_t>(gid);
    s.stack = stack;
    g.cpu_samples.push_back(s);
  }
  return Status::Ok();
}

Status set_sync(Generation& g, GenerationContext& ctx, const Batch& b) {
  const int version = ctx.version;
  PayloadReader r = payload(b, &ctx.eof_like);
  if (version >= wire::kGo125) r.p++;  // EvSync
  uint64_t last_ts = b.time;
  std::string why;
  while (!r.done()) {
    uint8_t ev = 0;
    r.byte(&ev);
    if (ev == wire::EvFrequency) {
      if (g.freq.ns_per_tick != 0) return r.fail("found multiple frequency events");
      uint64_t f = 0;
      if (!r.varint(&f, &why)) return r.fail("reading frequency: " + why);
      g.freq.set(1.0 / (static_cast<double>(f) / 1e9));
    } else if (ev == wire::EvClockSnapshot && version >= wire::kGo125) {
      if (g.has_clock_snapshot) return r.fail("found multiple clock snapshot events");
      g.has_clock_snapshot = true;
      uint64_t dt = 0, mono = 0, sec = 0, nsec = 0;
      if (!r.varint(&dt, &why) || !r.varint(&mono, &why) || !r.varint(&sec, &why) ||
          !r.varint(&nsec, &why)) {
        return r.fail("reading clock snapshot: " + why);
      }
      last_ts += dt;
      g.clock_snapshot = ClockSnapshot{last_ts, mono, sec, nsec};
    } else {
      return r.fail(fmt::format("expected frequency or clock snapshot event, got {}", ev));
    }
  }
  return Status::Ok();
}

/// Keeps an event batch's payload: a view for stable sources, a copy otherwise.
const uint8_t* keep_payload(Generation& g, GenerationContext& ctx, const Batch& b) {
  if (ctx.src.stable() || b.size == 0) return b.data;
  constexpr size_t kChunk = 1 << 20;
  if (g.arena.empty() || g.arena_used + b.size > kChunk) {
    g.arena.emplace_back(new uint8_t[kChunk]);
    g.arena_used = 0;
  }
  uint8_t* dst = g.arena.back().get() + g.arena_used;
  std::memcpy(dst, b.data, b.size);
  g.arena_used += b.size;
  return dst;
}

Status process_batch(Generation& g, GenerationContext& ctx, StackScratch& scratch, const Batch& b) {
  g.batches++;
  if (b.is_strings()) return add_strings(g, ctx, b);
  if (b.is_stacks()) return add_stacks(g, ctx, scratch, b);
  if (b.is_cpu_samples()) return add_cpu_samples(g, ctx, b);
  if (b.is_sync(ctx.version)) return set_sync(g, ctx, b);
  if (b.exp != 0) {
    g.experimental_batches++;
    return Status::Ok();
  }
  if (b.is_end_of_generation_payload()) {
    return Error{{}, b.offset, {}, "unexpected end-of-generation event inside a batch; broken trace?"};
  }
  auto [it, added] = g.m_index.try_emplace(b.m, g.ms.size());
  if (added) g.ms.push_back(MBatches{b.m, {}});
  g.ms[it->second].batches.push_back(EventBatch{b.time, keep_payload(g, ctx, b), b.size, b.payload_offset});
  return Status::Ok();
}

void note_batch_time(Generation& g, const Batch& b) {
  if (g.min_ts == 0 || b.time < g.min_ts) g.min_ts = b.time;
}

/// After all batches: check the sync data, resolve stacks into global stacks, sort samples.
Status finish_generation(Generation& g, GenerationContext& ctx, StackScratch& scratch,
                         bool need_snapshot) {
  auto fail = [&](std::string msg) { return Error{{}, ctx.src.offset(), g.gen, std::move(msg)}; };
  if (g.freq.ns_per_tick == 0) return fail("no frequency event found");
  if (need_snapshot && !g.has_clock_snapshot) return fail("no clock snapshot event found");
  // Each PC's strings are resolved once, at its first use: that is where an invalid string
  // ID is reported, naming the first stack that uses it, as when every use was checked.
  Frame resolved[wire::kMaxFramesPerStack];  // one stack's frames, handed to InternedStacks::intern
  for (const StackScratch::RawStack& st : scratch.stacks) {
    for (uint32_t i = 0; i < st.count; i++) {
      StackScratch::RawFrame& f = scratch.frames[scratch.frame_of[st.first + i]];
      if (!f.resolved) [[unlikely]] {
        const uint32_t func = g.strings.get(f.func);
        const uint32_t file = g.strings.get(f.file);
        if (func == IdMap::kAbsent) {
          return fail(fmt::format("found invalid func string ID {} for stack {}", f.func, st.id));
        }
        if (file == IdMap::kAbsent) {
          return fail(fmt::format("found invalid file string ID {} for stack {}", f.file, st.id));
        }
        f.frame = Frame{f.pc, func, file, f.line};
        f.resolved = true;
      }
      resolved[i] = f.frame;
    }
    g.stacks.set(st.id, ctx.stacks.intern(std::span<const Frame>(resolved, st.count)));
  }
  for (CpuSample& s : g.cpu_samples) s.time = g.freq.mul(static_cast<uint64_t>(s.time));
  go_sort(g.cpu_samples, [](const CpuSample& a, const CpuSample& b) {
    return a.time < b.time ? -1 : (a.time > b.time ? 1 : 0);
  });
  return Status::Ok();
}

Error in_gen(Error e, const Generation& g) {
  if (g.gen != 0) e.generation = g.gen;
  return e;
}

}  // namespace

Result<std::unique_ptr<Generation>> read_generation(GenerationContext& ctx) {
  auto g = std::make_unique<Generation>();
  StackScratch& scratch = ctx.stack_scratch;
  scratch.clear();
  for (;;) {
    Batch b;
    auto got = read_batch(ctx.src, &b, &ctx.eof_like);
    if (!got.ok()) return in_gen(got.error(), *g);
    if (!*got) {
      if (!g->ms.empty()) {
        return Error{{}, ctx.src.offset(), g->gen,
                     "incomplete generation found; trace likely truncated "
                     "(expected an end-of-generation byte)"};
      }
      return std::unique_ptr<Generation>();
    }
    if (g->gen == 0) g->gen = b.gen;
    if (b.end_of_generation) break;
    if (b.gen == 0) return Error{{}, b.offset, {}, "invalid generation number 0"};
    if (b.gen != g->gen) {
      return Error{{}, b.offset, g->gen,
                   fmt::format("broken trace: missing end-of-generation event, or generations are "
                               "interleaved (batch of generation {})", b.gen)};
    }
    note_batch_time(*g, b);
    if (Status s = process_batch(*g, ctx, scratch, b); !s.ok()) return in_gen(s.error(), *g);
  }
  if (Status s = finish_generation(*g, ctx, scratch, true); !s.ok()) return s.error();
  return g;
}

SpillRead read_generation_with_spill(GenerationContext& ctx, std::optional<SpilledBatch> spill) {
  SpillRead out;
  auto g = std::make_unique<Generation>();
  StackScratch& scratch = ctx.stack_scratch;
  scratch.clear();
  if (spill) {
    g->gen = spill->batch.gen;
    g->min_ts = spill->batch.time;
    Batch b = spill->batch;
    // The spilled payload lives in its own copy; keep it alive with the generation.
    if (!spill->payload.empty()) {
      g->arena.emplace_back(new uint8_t[spill->payload.size()]);
      std::memcpy(g->arena.back().get(), spill->payload.data(), spill->payload.size());
      g->arena_used = 1 << 20;  // never append to this block
      b.data = g->arena.back().get();
    }
    GenerationContext stable_ctx = ctx;
    if (Status s = process_batch(*g, stable_ctx, scratch, b); !s.ok()) {
      out.error = in_gen(s.error(), *g);
      return out;
    }
    // process_batch may have copied it again for unstable sources; harmless.
  }
  for (;;) {
    Batch b;
    auto got = read_batch(ctx.src, &b, &ctx.eof_like);
    if (!got.ok()) {
      if (g->gen != 0) {
        // Possibly an error in the first batch of the next generation: report it after this one.
        out.error = in_gen(got.error(), *g);
        break;
      }
      out.error = got.error();
      return out;
    }
    if (!*got) break;
    if (b.gen == 0) {
      out.error = Error{{}, b.offset, {}, "invalid generation number 0"};
      return out;
    }
    if (g->gen == 0) g->gen = b.gen;
    if (b.gen == g->gen + 1) {
      SpilledBatch sb;
      sb.batch = b;
      sb.payload.assign(b.data, b.data + b.size);
      sb.batch.data = nullptr;
      out.spill = std::move(sb);
      break;
    }
    if (b.gen != g->gen) {
      out.error = Error{{}, b.offset, g->gen,
                        fmt::format("generations out of order (batch of generation {})", b.gen)};
      return out;
    }
    note_batch_time(*g, b);
    if (Status s = process_batch(*g, ctx, scratch, b); !s.ok()) {
      out.error = in_gen(s.error(), *g);
      return out;
    }
  }
  if (Status s = finish_generation(*g, ctx, scratch, ctx.version >= wire::kGo125); !s.ok()) {
    out.error = s.error();
    out.spill.reset();
    return out;
  }
  out.gen = std::move(g);
  return out;
}

}  // namespace ctxtrail::trace

/// Hand-made traces, one per format or ordering fact, read through the public Reader.
#include "ctxtrail/trace/reader.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "trace/trace_builder.h"

namespace ctxtrail::trace {
namespace {

using testing::kNoM;
using testing::Payload;
using testing::TraceBuilder;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct ReadResult {
  std::vector<std::string> lines;  // one per event, see describe()
  std::vector<Event> events;
  std::optional<Error> error;
  bool complete = false;
  uint64_t generations = 0;
};

/// "TIME KIND detail": goroutine and proc transitions as "G5 Waiting->Runnable".
std::string describe(const Event& e, const Reader& r) {
  std::string s = fmt::format("{} {}", e.time, to_string(e.kind));
  switch (e.kind) {
    case EventKind::StateTransition:
      if (e.resource == ResourceKind::Goroutine) {
        s += fmt::format(" G{} {}->{}", e.resource_id, to_string(e.go_from()), to_string(e.go_to()));
      } else {
        s += fmt::format(" P{} {}->{}", e.resource_id, to_string(e.proc_from()), to_string(e.proc_to()));
      }
      if (e.reason != 0) s += fmt::format(" ({})", r.strings().get(e.reason));
      break;
    case EventKind::Sync: s += fmt::format(" {}", e.id); break;
    case EventKind::Metric:
    case EventKind::Label:
    case EventKind::RangeBegin:
    case EventKind::RangeActive:
    case EventKind::RangeEnd:
    case EventKind::TaskBegin:
    case EventKind::TaskEnd:
    case EventKind::RegionBegin:
    case EventKind::RegionEnd:
    case EventKind::Log:
    case EventKind::Experimental: s += fmt::format(" {}", r.strings().get(e.name)); break;
    default: break;
  }
  return s;
}

ReadResult read_all(const std::string& bytes) {
  // CTXTRAIL_DUMP_TRACES=DIR keeps every input, to check it against Go's parser by hand.
  if (const char* dir = std::getenv("CTXTRAIL_DUMP_TRACES")) {
    const auto* t = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ofstream(fmt::format("{}/{}.trace", dir, t->name()), std::ios::binary) << bytes;
  }
  ReadResult out;
  auto reader = Reader::from_bytes(bytes, "test.trace");
  if (!reader.ok()) {
    out.error = reader.error();
    return out;
  }
  Event ev;
  for (;;) {
    auto more = (*reader)->next(ev);
    if (!more.ok()) {
      out.error = more.error();
      break;
    }
    if (!*more) break;
    out.lines.push_back(describe(ev, **reader));
    out.events.push_back(ev);
  }
  out.complete = (*reader)->complete();
  out.generations = (*reader)->generations();
  return out;
}

/// The lines of a complete, well-formed trace read with next_batch() in batches of `size`
/// (empty, with a test failure, on any error or an incomplete read).
std::vector<std::string> read_in_batches(const std::string& bytes, size_t size) {
  std::vector<std::string> lines;
  auto reader = Reader::from_bytes(bytes, "test.trace");
  if (!reader.ok()) {
    ADD_FAILURE() << reader.error().to_string();
    return {};
  }
  std::vector<Event> batch(size);
  for (;;) {
    auto got = (*reader)->next_batch(batch);
    if (!got.ok()) {
      ADD_FAILURE() << got.error().to_string();
      return {};
    }
    if (*got == 0) break;
    for (size_t i = 0; i < *got; i++) lines.push_back(describe(batch[i], **reader));
  }
  if (!(*reader)->complete()) ADD_FAILURE() << "the reader did not reach the end of the trace";
  return lines;
}

// A goroutine's life on one M: P and G status, create, block, start, destroy.
Payload simple_life() {
  Payload p;
  p.ev(wire::EvProcStatus, 1, {0, wire::ProcRunning})
      .ev(wire::EvGoStatus, 1, {1, 1, wire::GoRunning})
      .ev(wire::EvGoCreate, 1, {2, 0, 0})
      .ev(wire::EvGoBlock, 1, {1, 0})
      .ev(wire::EvGoStart, 1, {2, 1})
      .ev(wire::EvGoDestroy, 1, {});
  return p;
}

TEST(Reader, Go126SingleGeneration) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).strings(1, {{1, "chan receive"}}).batch(1, 1, 100, simple_life()).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.generations, 1u);
  EXPECT_THAT(r.lines, ElementsAre("1 Sync 1", "101 StateTransition P0 Undetermined->Running",
                                   "102 StateTransition G1 Undetermined->Running",
                                   "103 StateTransition G2 NotExist->Runnable",
                                   "104 StateTransition G1 Running->Waiting (chan receive)",
                                   "105 StateTransition G2 Runnable->Running",
                                   "106 StateTransition G2 Running->NotExist", "107 Sync 2"));
  // Context: the block happened on M1 holding P0 and running G1; the start had no G yet.
  EXPECT_EQ(r.events[4].m, 1);
  EXPECT_EQ(r.events[4].p, 0);
  EXPECT_EQ(r.events[4].g, 1);
  EXPECT_EQ(r.events[5].g, kNoGoroutine);
}

// A stage that throws on an event (a broken invariant) stops the read with an error that names
// the event, instead of leaving the exception to end the process.
TEST(Reader, ForEachEventTurnsAStageExceptionIntoAnErrorNamingTheEvent) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).strings(1, {{1, "chan receive"}}).batch(1, 1, 100, simple_life()).end_gen();
  auto reader = Reader::from_bytes(b.bytes(), "busy.trace");
  ASSERT_TRUE(reader.ok());
  int seen = 0;
  const std::optional<Error> err = for_each_event(**reader, [&](const Event& ev) {
    if (++seen == 4) throw InvariantError(fmt::format("goroutine {} is not in the model", ev.resource_id));
  });
  ASSERT_TRUE(err.has_value());
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(err->file, "busy.trace");
  EXPECT_THAT(err->message, HasSubstr("internal error at event 3 (time 103 ns): goroutine 2 is not in the model"));
}

// The hot path reads goroutine and proc state through plain tables indexed by small IDs; any
// other ID (past the tables' limit, or past 2^63, which the ordering holds as negative) must
// take the general path and come out the same.
TEST(Reader, HugeGoroutineAndProcIdsOrderAsSmallOnes) {
  const uint64_t p = uint64_t{5} << 30;
  const uint64_t g1 = (uint64_t{1} << 63) + 7;
  const uint64_t g2 = uint64_t{1} << 40;
  Payload life;
  life.ev(wire::EvProcStatus, 1, {p, wire::ProcRunning})
      .ev(wire::EvGoStatus, 1, {g1, 1, wire::GoRunning})
      .ev(wire::EvGoCreate, 1, {g2, 0, 0})
      .ev(wire::EvGoBlock, 1, {1, 0})
      .ev(wire::EvGoStart, 1, {g2, 1})
      .ev(wire::EvGoStop, 1, {1, 0})
      .ev(wire::EvGoUnblock, 1, {g1, 1, 0})
      .ev(wire::EvProcStop, 1, {});
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).strings(1, {{1, "chan receive"}}).batch(1, 1, 100, life).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  const std::string P = fmt::format("P{}", p);
  const std::string G1 = fmt::format("G{}", static_cast<int64_t>(g1));
  const std::string G2 = fmt::format("G{}", g2);
  EXPECT_THAT(r.lines, ElementsAre("1 Sync 1", "101 StateTransition " + P + " Undetermined->Running",
                                   "102 StateTransition " + G1 + " Undetermined->Running",
                                   "103 StateTransition " + G2 + " NotExist->Runnable",
                                   "104 StateTransition " + G1 + " Running->Waiting (chan receive)",
                                   "105 StateTransition " + G2 + " Runnable->Running",
                                   "106 StateTransition " + G2 + " Running->Runnable (chan receive)",
                                   "107 StateTransition " + G1 + " Waiting->Runnable",
                                   "108 StateTransition " + P + " Running->Idle", "109 Sync 2"));
  EXPECT_EQ(r.events[5].g, kNoGoroutine);
  EXPECT_EQ(r.events[6].g, static_cast<int64_t>(g2));
}

TEST(Reader, PaddedVarintsInBatchHeaders) {
  TraceBuilder b(wire::kGo126, /*padded_sizes=*/true);
  b.sync(1, 100).strings(1, {{1, "chan receive"}}).batch(1, 1, 100, simple_life()).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_EQ(r.lines.size(), 8u);
}

TEST(Reader, Go126TruncatedGenerationIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).strings(1, {{1, "chan receive"}}).batch(1, 1, 100, simple_life());  // no end byte
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("incomplete generation found; trace likely truncated"));
  EXPECT_FALSE(r.complete);
  EXPECT_EQ(r.error->file, "test.trace");
  // Go's Reader emits a Sync before reporting the error.
  EXPECT_THAT(r.lines, ElementsAre("1 Sync 1"));
}

TEST(Reader, Go126BatchesOfTwoGenerationsWithoutEndByteAreRejected) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 1, {0, wire::ProcIdle})).sync(2, 200);
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("missing end-of-generation"));
}

// Before 1.26 a generation ends when a batch of the next one appears ("spill") or at EOF.
TEST(Reader, Go122GenerationSpill) {
  TraceBuilder b(wire::kGo122);
  b.sync(1, 100)
      .batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 1, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 1, {1, 1, wire::GoRunning}))
      .sync(2, 200)
      .batch(2, 1, 200, Payload().ev(wire::EvProcStatus, 1, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 1, {1, 1, wire::GoRunning}).ev(wire::EvGoStop, 1, {0, 0}));
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.generations, 2u);
  EXPECT_THAT(r.lines, ElementsAre("100 Sync 1", "101 StateTransition P0 Undetermined->Running",
                                   "102 StateTransition G1 Undetermined->Running", "200 Sync 2",
                                   "201 StateTransition P0 Running->Running",
                                   "202 StateTransition G1 Running->Running",
                                   "203 StateTransition G1 Running->Runnable", "204 Sync 3"));
}

// A bad batch right after a complete generation: that generation is still delivered, closed
// by a Sync, and the error comes after it (Go's parser "forges ahead" the same way).
TEST(Reader, Go122ErrorInNextGenerationComesAfterTheGoodOne) {
  TraceBuilder b(wire::kGo122);
  b.sync(1, 100).batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 1, {0, wire::ProcIdle})).raw("\x01\x02\x01\x80");
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("error reading batch timestamp: unexpected EOF"));
  EXPECT_FALSE(r.complete);
  EXPECT_THAT(r.lines, ElementsAre("100 Sync 1", "101 StateTransition P0 Undetermined->Idle", "102 Sync 2"));
}

// Go's parser reports an input that stops right where a batch header varint should start as
// an error wrapping io.EOF. ctxtrail reports it as a truncated trace after the events that
// were read, and truncation() says where.
TEST(Reader, InputEndingAtAHeaderVarintIsATruncatedTrace) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 1, {0, wire::ProcIdle})).end_gen().raw("\x01\x02");
  auto reader = Reader::from_bytes(b.bytes(), "t");
  ASSERT_TRUE(reader.ok());
  Event ev;
  int n = 0;
  std::optional<Error> error;
  for (;;) {
    auto more = (*reader)->next(ev);
    if (!more.ok()) {
      error = more.error();
      break;
    }
    if (!*more) break;
    n++;
  }
  EXPECT_EQ(n, 3);  // Sync, ProcStatus, and the Sync that closes generation 1
  ASSERT_TRUE(error);
  EXPECT_THAT(error->message, HasSubstr("trace is truncated: error reading batch M ID: EOF"));
  EXPECT_FALSE((*reader)->complete());
  ASSERT_TRUE((*reader)->truncation());
}

TEST(Reader, Go123FrequencyBatchAndGo125SyncBatch) {
  for (int v : {wire::kGo123, wire::kGo125}) {
    TraceBuilder b(v);
    // 64 ns per tick, as on Linux: 15625000 ticks/s.
    b.sync(1, 10, 15625000).batch(1, 1, 10, Payload().ev(wire::EvProcStatus, 2, {0, wire::ProcIdle}));
    ReadResult r = read_all(b.bytes());
    ASSERT_FALSE(r.error) << r.error->to_string();
    EXPECT_THAT(r.lines, ElementsAre("640 Sync 1", "768 StateTransition P0 Undetermined->Idle", "769 Sync 2"));
  }
}

TEST(Reader, Go125SyncBatchNeedsClockSnapshot) {
  TraceBuilder b(wire::kGo125);
  Payload p;
  p.bytes = {static_cast<char>(wire::EvSync), static_cast<char>(wire::EvFrequency), 10};
  b.batch(1, kNoM, 10, p).batch(1, 1, 10, Payload().ev(wire::EvProcStatus, 2, {0, wire::ProcIdle}));
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("no clock snapshot event found"));
}

TEST(Reader, MissingFrequencyIsAnError) {
  TraceBuilder b(wire::kGo122);
  b.batch(1, 1, 10, Payload().ev(wire::EvProcStatus, 2, {0, wire::ProcIdle}));
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("no frequency event found"));
  EXPECT_EQ(r.error->generation, 1u);
}

// M2's GoStart is earlier in time than M1's GoUnblock, but its sequence number says it
// comes after: the reader must try M1 first, and fix the output time up to strictly increase.
TEST(Reader, SequenceNumbersOrderAcrossMsAgainstTime) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, kNoM, 50, Payload().ev(wire::EvGoStatus, 0, {5, kNoM, wire::GoWaiting}))
      .batch(1, 2, 100, Payload().ev(wire::EvProcStatus, 10, {1, wire::ProcRunning}).ev(wire::EvGoStart, 40, {5, 2}))
      .batch(1, 1, 200, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 1, {1, 1, wire::GoRunning}).ev(wire::EvGoUnblock, 99, {5, 1, 0}))
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_THAT(r.lines, ElementsAre("10 Sync 1", "50 StateTransition G5 Undetermined->Waiting",
                                   "110 StateTransition P1 Undetermined->Running",
                                   "200 StateTransition P0 Undetermined->Running",
                                   "201 StateTransition G1 Undetermined->Running",
                                   "300 StateTransition G5 Waiting->Runnable",
                                   "301 StateTransition G5 Runnable->Running", "302 Sync 2"));
}

TEST(Reader, NoMCanAdvanceIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, 2, 100, Payload().ev(wire::EvProcStatus, 10, {1, wire::ProcRunning}).ev(wire::EvGoStart, 40, {5, 1}))
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("broken trace: failed to advance"));
  EXPECT_THAT(r.error->message, HasSubstr("GoStart"));
}

TEST(Reader, GoSwitchExpandsIntoUnblockBlockStart) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, 1, 100, Payload()
                            .ev(wire::EvProcStatus, 0, {0, wire::ProcRunning})
                            .ev(wire::EvGoStatus, 0, {1, 1, wire::GoRunning})
                            .ev(wire::EvGoStatus, 0, {2, kNoM, wire::GoWaiting})
                            .ev(wire::EvGoSwitch, 5, {2, 1})
                            .ev(wire::EvGoSwitchDestroy, 5, {1, 1}))
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_THAT(r.lines, ElementsAre("10 Sync 1", "100 StateTransition P0 Undetermined->Running",
                                   "101 StateTransition G1 Undetermined->Running",
                                   "102 StateTransition G2 Undetermined->Waiting",
                                   "105 StateTransition G2 Waiting->Runnable",
                                   "106 StateTransition G1 Running->Waiting",
                                   "107 StateTransition G2 Runnable->Running",
                                   "110 StateTransition G1 Waiting->Runnable",
                                   "111 StateTransition G2 Running->NotExist",
                                   "112 StateTransition G1 Runnable->Running", "113 Sync 2"));
  EXPECT_EQ(r.events[6].g, kNoGoroutine);  // the synthetic GoStart has no G yet
  EXPECT_EQ(r.events[5].g, 1);
}

TEST(Reader, StatusOfNewGoroutineAfterFirstGenerationIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10).batch(1, kNoM, 10, Payload().ev(wire::EvGoStatus, 0, {5, kNoM, wire::GoWaiting})).end_gen();
  b.sync(2, 100).batch(2, kNoM, 100, Payload().ev(wire::EvGoStatus, 0, {6, kNoM, wire::GoWaiting})).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("found goroutine status for new goroutine after the first generation: id=6"));
  EXPECT_EQ(r.error->generation, 2u);
}

TEST(Reader, InconsistentStatusIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10).batch(1, kNoM, 10, Payload().ev(wire::EvGoStatus, 0, {5, kNoM, wire::GoWaiting})).end_gen();
  b.sync(2, 100).batch(2, kNoM, 100, Payload().ev(wire::EvGoStatus, 0, {5, kNoM, wire::GoRunnable})).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("inconsistent status for goroutine 5: old Waiting vs. new Runnable"));
}

TEST(Reader, StringsAndStacksAreGlobalAndDeduplicated) {
  TraceBuilder b(wire::kGo126);
  // The same stack under different wire IDs in two generations, with different string IDs.
  b.sync(1, 10)
      .strings(1, {{1, "main.f"}, {2, "f.go"}, {3, "sleep"}})
      .stacks(1, {{7, {{0x100, 1, 2, 10}}}})
      .batch(1, 1, 10, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 0, {1, 1, wire::GoRunning}).ev(wire::EvGoBlock, 1, {3, 7}))
      .end_gen();
  b.sync(2, 100)
      .strings(2, {{4, "main.f"}, {9, "f.go"}, {1, "sleep"}})
      .stacks(2, {{3, {{0x100, 4, 9, 10}}}})
      .batch(2, 1, 100, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcRunning}).ev(wire::EvGoStatusStack, 0, {1, kNoM, wire::GoWaiting, 3}))
      .end_gen();
  auto reader = Reader::from_bytes(b.bytes());
  ASSERT_TRUE(reader.ok());
  std::vector<Event> evs;
  Event ev;
  for (;;) {
    auto more = (*reader)->next(ev);
    ASSERT_TRUE(more.ok()) << more.error().to_string();
    if (!*more) break;
    evs.push_back(ev);
  }
  ASSERT_EQ(evs.size(), 8u);
  const Event& block = evs[3];
  const Event& status = evs[6];
  EXPECT_NE(block.stack, 0u);
  EXPECT_EQ(block.stack, status.stack);
  EXPECT_EQ(block.reason, status.reason == 0 ? block.reason : status.reason);
  auto frames = (*reader)->stacks().frames(block.stack);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ((*reader)->strings().get(frames[0].func), "main.f");
  EXPECT_EQ((*reader)->strings().get(frames[0].file), "f.go");
  EXPECT_EQ(frames[0].line, 10u);
  EXPECT_EQ((*reader)->strings().find("sleep"), block.reason);
}

TEST(Reader, UnknownStringIDIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, 1, 10, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 0, {1, 1, wire::GoRunning}).ev(wire::EvGoBlock, 1, {42, 0}))
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("found invalid string ID 42 for event GoBlock"));
  // The byte offset of the GoBlock: its 4 bytes end the batch, before the end-of-generation byte.
  ASSERT_TRUE(r.error->offset);
  EXPECT_EQ(*r.error->offset, b.bytes().size() - 1 - 4);
}

TEST(Reader, DuplicateStringIDIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10).strings(1, {{1, "a"}, {1, "b"}}).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("multiple strings with the same ID: id=1"));
}

TEST(Reader, CpuSamplesMergeByTime) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcIdle}).ev(wire::EvProcStatus, 10, {1, wire::ProcIdle}))
      .cpu_samples(1, {{105, 1, kNoM, 0, 0}, {50, 3, 0, 7, 0}})
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_THAT(r.lines, ElementsAre("1 Sync 1", "50 StackSample", "100 StateTransition P0 Undetermined->Idle",
                                   "105 StackSample", "110 StateTransition P1 Undetermined->Idle", "111 Sync 2"));
  EXPECT_EQ(r.events[1].g, 7);
  EXPECT_EQ(r.events[1].m, 3);
  EXPECT_EQ(r.events[3].g, kNoGoroutine);  // G 0 in a sample means none
  EXPECT_EQ(r.events[3].p, kNoProc);
}

// Go's parser would yield this sample and then panic when its stack is read.
TEST(Reader, CpuSampleWithUnknownStackIsAnError) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10).batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcIdle})).cpu_samples(1, {{50, 3, 0, 7, 99}}).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_TRUE(r.error);
  EXPECT_THAT(r.error->message, HasSubstr("found invalid stack ID 99 for CPU sample"));
}

TEST(Reader, ExperimentalBatchesAreKeptAside) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10).experimental(1, 1, kNoM, 10, "\x01opaque").batch(1, 1, 100, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcIdle})).end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_EQ(r.lines.size(), 3u);
}

TEST(Reader, MetricsLabelsTasksRegionsRanges) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .strings(1, {{1, "lbl"}, {2, "task"}, {3, "region"}, {4, "cat"}, {5, "msg"}, {6, "GC"}})
      .batch(1, 1, 100, Payload()
                            .ev(wire::EvProcStatus, 0, {0, wire::ProcRunning})
                            .ev(wire::EvGoStatus, 0, {1, 1, wire::GoRunning})
                            .ev(wire::EvHeapAlloc, 1, {4096})
                            .ev(wire::EvGoLabel, 1, {1})
                            .ev(wire::EvUserTaskBegin, 1, {9, 0, 2, 0})
                            .ev(wire::EvUserRegionBegin, 1, {9, 3, 0})
                            .ev(wire::EvUserLog, 1, {9, 4, 5, 0})
                            .ev(wire::EvUserRegionEnd, 1, {9, 3, 0})
                            .ev(wire::EvUserTaskEnd, 1, {9, 0})
                            .ev(wire::EvSTWBegin, 1, {6, 0})
                            .ev(wire::EvSTWEnd, 1, {})
                            .ev(wire::EvGCBegin, 1, {1, 0})
                            .ev(wire::EvGCEnd, 1, {2}))
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_THAT(r.lines, ElementsAre("1 Sync 1", "100 StateTransition P0 Undetermined->Running",
                                   "101 StateTransition G1 Undetermined->Running",
                                   "102 Metric /memory/classes/heap/objects:bytes", "103 Label lbl",
                                   "104 TaskBegin task", "105 RegionBegin region", "106 Log cat",
                                   "107 RegionEnd region", "108 TaskEnd task",
                                   "109 RangeBegin stop-the-world (GC)", "110 RangeEnd stop-the-world (GC)",
                                   "111 RangeBegin GC concurrent mark phase",
                                   "112 RangeEnd GC concurrent mark phase", "113 Sync 2"));
  EXPECT_EQ(r.events[3].value, 4096u);
  EXPECT_EQ(r.events[5].parent, kNoTask);  // parent 0 on the wire means none
  EXPECT_EQ(r.events[9].parent, kNoTask);
}

TEST(Reader, GoDestroySyscallAddsProcSteal) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, 1, 100, Payload()
                            .ev(wire::EvProcStatus, 0, {0, wire::ProcSyscall})
                            .ev(wire::EvGoStatus, 0, {1, 1, wire::GoSyscall})
                            .ev(wire::EvGoDestroySyscall, 3, {}))
      .end_gen();
  ReadResult r = read_all(b.bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  EXPECT_THAT(r.lines, ElementsAre("10 Sync 1", "100 StateTransition P0 Undetermined->Running",
                                   "101 StateTransition G1 Undetermined->Syscall",
                                   "103 StateTransition P0 Running->Idle",
                                   "104 StateTransition G1 Syscall->NotExist", "105 Sync 2"));
}

/// Two goroutines handing a token back and forth on one M, `rounds` times per batch, in
/// `batches` batches: long batches take the decoder's fast path and the ordering's hot path.
/// Goroutine 20000 and sequence numbers past 16383 make 3-byte varints; the last batch has a
/// 6-byte and a 9-byte time delta.
TraceBuilder ping_pong(int batches, int rounds) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10).strings(1, {{1, "chan receive"}});
  uint64_t seq = 0;
  uint64_t base = 100;
  for (int k = 0; k < batches; k++) {
    Payload p;
    if (k == 0) {
      p.ev(wire::EvProcStatus, 0, {0, wire::ProcRunning})
          .ev(wire::EvGoStatus, 1, {1, 1, wire::GoRunning})
          .ev(wire::EvGoStatus, 1, {20000, kNoM, wire::GoWaiting});
    }
    for (int i = 0; i < rounds; i++) {
      const bool last = k == batches - 1 && i == rounds - 1;
      p.ev(wire::EvGoUnblock, 1, {20000, seq + 1, 0})
          .ev(wire::EvGoBlock, last ? uint64_t{1} << 40 : 2, {1, 0})
          .ev(wire::EvGoStart, 1, {20000, seq + 2})
          .ev(wire::EvGoUnblock, 130, {1, seq + 1, 0})
          .ev(wire::EvGoBlock, last ? uint64_t{1} << 57 : 1, {1, 0})
          .ev(wire::EvGoStart, 1, {1, seq + 2});
      seq += 2;
    }
    b.batch(1, 1, base, p);
    base += 1000 * static_cast<uint64_t>(rounds);
  }
  b.end_gen();
  return b;
}

TEST(Reader, LongBatchesDecodeAndOrderAsShortOnes) {
  // The same events, once in 6 long batches and once in 9000 one-round batches (too short
  // for the fast paths), must read the same up to the batch base times.
  ReadResult r = read_all(ping_pong(6, 1500).bytes());
  ASSERT_FALSE(r.error) << r.error->to_string();
  ASSERT_EQ(r.events.size(), 2 + 3 + 6 * 9000u);
  EXPECT_EQ(r.lines[3], "102 StateTransition G20000 Undetermined->Waiting");
  EXPECT_EQ(r.lines[4], "103 StateTransition G20000 Waiting->Runnable");
  const Event& last_start = r.events[r.events.size() - 2];
  EXPECT_EQ(last_start.resource_id, 1);
  EXPECT_EQ(last_start.go_to(), GoState::Running);
  EXPECT_GT(last_start.time, int64_t{1} << 57);
  int blocks = 0;
  for (const std::string& line : r.lines) blocks += line.ends_with("Running->Waiting (chan receive)");
  EXPECT_EQ(blocks, 6 * 3000);

  ReadResult short_batches = read_all(ping_pong(9000, 1).bytes());
  ASSERT_FALSE(short_batches.error) << short_batches.error->to_string();
  const auto without_time = [](std::vector<std::string> lines) {
    for (std::string& l : lines) l.erase(0, l.find(' '));
    return lines;
  };
  EXPECT_EQ(without_time(short_batches.lines), without_time(r.lines));
}

TEST(Reader, NextBatchGivesTheEventsOfNext) {
  const std::string bytes = ping_pong(3, 700).bytes();
  ReadResult one = read_all(bytes);
  ASSERT_FALSE(one.error);
  EXPECT_EQ(read_in_batches(bytes, 7), one.lines);
}

// next() reads a batch ahead: calls of next() and next_batch() mixed on one reader give the
// events in order, none twice, none lost, then the same error at the same point.
TEST(Reader, NextAndNextBatchMixedGiveEveryEventOnce) {
  const std::string bytes = ping_pong(3, 700).bytes();
  ReadResult one = read_all(bytes);
  ASSERT_FALSE(one.error);
  const auto mixed = [](const std::string& input, std::optional<Error>* error) {
    std::vector<std::string> lines;
    auto reader = Reader::from_bytes(input, "test.trace");
    if (!reader.ok()) {
      *error = reader.error();
      return lines;
    }
    std::vector<Event> batch(5);
    for (int call = 0;; call++) {
      if (call % 3 == 0) {
        Event ev;
        auto more = (*reader)->next(ev);
        if (!more.ok()) {
          *error = more.error();
          break;
        }
        if (!*more) break;
        lines.push_back(describe(ev, **reader));
        continue;
      }
      auto got = (*reader)->next_batch(std::span<Event>(batch).first(1 + call % 5));
      if (!got.ok()) {
        *error = got.error();
        break;
      }
      if (*got == 0) break;
      for (size_t i = 0; i < *got; i++) lines.push_back(describe(batch[i], **reader));
    }
    return lines;
  };
  std::optional<Error> error;
  EXPECT_EQ(mixed(bytes, &error), one.lines);
  EXPECT_FALSE(error);
  // Cut inside the second half: the events before the cut, then the truncation error.
  const std::string cut = bytes.substr(0, bytes.size() * 2 / 3);
  ReadResult cut_one = read_all(cut);
  ASSERT_TRUE(cut_one.error);
  std::optional<Error> cut_error;
  EXPECT_EQ(mixed(cut, &cut_error), cut_one.lines);
  ASSERT_TRUE(cut_error);
  EXPECT_EQ(cut_error->to_string(), cut_one.error->to_string());
}

// Syscalls, goroutine creation and destruction, and HeapAlloc take the hot path too; creating
// hundreds of goroutines in one run moves the goroutine tables under it (a stale view would
// read freed memory: the ASan build runs this too).
TEST(Reader, HotPathCreatesDestroysAndSyscallsInOneRun) {
  constexpr uint64_t kNew = 300;
  Payload life;
  life.ev(wire::EvProcStatus, 1, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 1, {1, 1, wire::GoRunning});
  for (uint64_t g = 2; g < 2 + kNew; g++) life.ev(wire::EvGoCreate, 1, {g, 0, 0});
  life.ev(wire::EvGoSyscallBegin, 1, {1, 0}).ev(wire::EvGoSyscallEnd, 1, {}).ev(wire::EvHeapAlloc, 1, {4096});
  life.ev(wire::EvGoBlock, 1, {1, 0});
  for (uint64_t g = 2; g < 2 + kNew; g++) life.ev(wire::EvGoStart, 1, {g, 1}).ev(wire::EvGoDestroy, 1, {});
  TraceBuilder b(wire::kGo126);
  b.sync(1, 100).strings(1, {{1, "chan receive"}}).batch(1, 1, 100, life).end_gen();
  const std::string bytes = b.bytes();

  ReadResult one = read_all(bytes);
  ASSERT_FALSE(one.error) << one.error->to_string();
  ASSERT_EQ(one.lines.size(), 1 + 2 + kNew + 4 + 2 * kNew + 1);
  EXPECT_EQ(one.lines[3], "103 StateTransition G2 NotExist->Runnable");
  EXPECT_EQ(one.lines[3 + kNew], "403 StateTransition G1 Running->Syscall");
  EXPECT_EQ(one.lines[4 + kNew], "404 StateTransition G1 Syscall->Running");
  EXPECT_EQ(one.lines[5 + kNew], "405 Metric /memory/classes/heap/objects:bytes");
  EXPECT_EQ(one.lines[6 + kNew], "406 StateTransition G1 Running->Waiting (chan receive)");
  EXPECT_EQ(one.lines[7 + kNew + 2 * (kNew - 1)], fmt::format("{} StateTransition G{} Runnable->Running", 407 + 2 * (kNew - 1), 1 + kNew));
  EXPECT_EQ(one.lines[8 + kNew + 2 * (kNew - 1)], fmt::format("{} StateTransition G{} Running->NotExist", 408 + 2 * (kNew - 1), 1 + kNew));
  EXPECT_EQ(one.events[4 + kNew].p, 0);
  EXPECT_EQ(one.events[4 + kNew].g, 1);

  EXPECT_EQ(read_in_batches(bytes, 1024), one.lines);
}

TEST(Reader, NextBatchEndsAtAnErrorAndAnswersItNext) {
  TraceBuilder b(wire::kGo126);
  b.sync(1, 10)
      .batch(1, 1, 10, Payload().ev(wire::EvProcStatus, 0, {0, wire::ProcRunning}).ev(wire::EvGoStatus, 0, {1, 1, wire::GoRunning}).ev(wire::EvGoBlock, 1, {42, 0}))
      .end_gen();
  auto reader = Reader::from_bytes(b.bytes(), "test.trace");
  ASSERT_TRUE(reader.ok());
  std::vector<Event> batch(16);
  auto first = (*reader)->next_batch(batch);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 3u);  // Sync, ProcStatus, GoStatus
  auto second = (*reader)->next_batch(batch);
  ASSERT_FALSE(second.ok());
  EXPECT_THAT(second.error().message, HasSubstr("found invalid string ID 42 for event GoBlock"));
}

TEST(Reader, NextBatchOnACutTraceGivesNextsEventsThenItsError) {
  // Cut inside the long batches: the fast decode path meets the end of the input.
  const std::string whole = ping_pong(3, 700).bytes();
  for (size_t cut : {whole.size() / 3, whole.size() / 2, whole.size() - 7}) {
    const std::string bytes = whole.substr(0, cut);
    ReadResult one = read_all(bytes);
    ASSERT_TRUE(one.error) << cut;
    auto reader = Reader::from_bytes(bytes, "test.trace");
    ASSERT_TRUE(reader.ok());
    std::vector<Event> batch(64);
    std::vector<std::string> lines;
    std::optional<Error> error;
    for (;;) {
      auto got = (*reader)->next_batch(batch);
      if (!got.ok()) {
        error = got.error();
        break;
      }
      ASSERT_NE(*got, 0u) << "a cut trace must not end cleanly";
      for (size_t i = 0; i < *got; i++) lines.push_back(describe(batch[i], **reader));
    }
    EXPECT_EQ(lines, one.lines) << cut;
    ASSERT_TRUE(error);
    EXPECT_EQ(error->to_string(), one.error->to_string()) << cut;
    EXPECT_FALSE((*reader)->complete());
  }
}

TEST(Reader, EmptyGo126TraceIsOneSync) {
  ReadResult r = read_all(TraceBuilder(wire::kGo126).bytes());
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.complete);
  EXPECT_THAT(r.lines, ElementsAre("1 Sync 1"));
}

}  // namespace
}  // namespace ctxtrail::trace

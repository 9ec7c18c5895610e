// parse_profile on real profiles written by testdata/snapshots/profilegen (its main.go names
// the lines asserted here), and against what `go tool pprof -traces` makes of the same files.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {
namespace {

constexpr const char* kMainGo = "ctxtrail.test/profilegen/main.go";

std::string snapshot_path(const std::string& name) {
  return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/snapshots/" + name;
}

std::string read_file(const std::string& name) {
  std::ifstream in(snapshot_path(name), std::ios::binary);
  EXPECT_TRUE(in) << "cannot open " << snapshot_path(name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Snapshot parse_file(const std::string& name) {
  Result<Snapshot> r = parse_profile(read_file(name), name);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
  return r.ok() ? std::move(r.value()) : Snapshot{};
}

/// The record whose frames include `function`; fails the test if there is not exactly one.
const Goroutine* find_by_frame(const Snapshot& s, const std::string& function) {
  const Goroutine* found = nullptr;
  int n = 0;
  for (const Goroutine& g : s.goroutines) {
    for (const Frame& f : g.frames) {
      if (f.function == function) {
        found = &g;
        ++n;
        break;
      }
    }
  }
  EXPECT_EQ(n, 1) << "records with " << function;
  return found;
}

std::vector<std::string> functions(const Goroutine& g) {
  std::vector<std::string> out;
  for (const Frame& f : g.frames) out.emplace_back(f.function);
  return out;
}

uint64_t total(const Snapshot& s) {
  uint64_t n = 0;
  for (const Goroutine& g : s.goroutines) n += g.count;
  return n;
}

using Labels = std::vector<std::pair<std::string, std::string>>;

// What both forms of the goroutine profile must say about profilegen's goroutines. `runtime`
// is whether the leaf runtime frames are there (protobuf) or left out (debug=1 text).
void expect_profilegen_goroutines(const Snapshot& s, bool runtime) {
  EXPECT_EQ(s.kind, Kind::Profile);
  EXPECT_EQ(total(s), 9u);  // three workers, selector, locker, two labelled, leak, main
  EXPECT_EQ(s.goroutines.size(), 7u);
  for (const Goroutine& g : s.goroutines) {
    EXPECT_EQ(g.id, -1);
    EXPECT_FALSE(g.leaked);
    EXPECT_TRUE(g.state.empty());
  }

  // Chan receive, inlined: main.receive is the innermost line of worker's location.
  const Goroutine* worker = find_by_frame(s, "main.worker");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->count, 3u);
  EXPECT_TRUE(worker->labels.empty());
  std::vector<std::string> recv{"main.receive", "main.worker"};
  if (runtime) recv.insert(recv.begin(), {"runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1"});
  EXPECT_EQ(functions(*worker), recv);
  const Frame& receive = worker->frames[worker->frames.size() - 2];
  EXPECT_EQ(receive.file, kMainGo);
  EXPECT_EQ(receive.line, 31);
  EXPECT_EQ(worker->frames.back().file, kMainGo);
  EXPECT_EQ(worker->frames.back().line, 36);

  const Goroutine* selector = find_by_frame(s, "main.selector");
  ASSERT_NE(selector, nullptr);
  EXPECT_EQ(selector->count, 1u);
  EXPECT_EQ(selector->frames.back().function, "main.selector");
  EXPECT_EQ(selector->frames.back().file, kMainGo);
  EXPECT_EQ(selector->frames.back().line, 41);
  if (runtime) {
    EXPECT_EQ(functions(*selector), (std::vector<std::string>{"runtime.gopark", "runtime.selectgo", "main.selector"}));
  }

  // Mutex: a three-deep inlining chain, innermost first.
  const Goroutine* locker = find_by_frame(s, "main.locker");
  ASSERT_NE(locker, nullptr);
  const std::vector<std::string> lock = functions(*locker);
  ASSERT_GE(lock.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(lock.end() - 5, lock.end()),
            (std::vector<std::string>{"internal/sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow",
                                      "internal/sync.(*Mutex).Lock", "sync.(*Mutex).Lock", "main.locker"}));
  EXPECT_EQ(locker->frames.back().line, 49);
  EXPECT_EQ(locker->frames[locker->frames.size() - 2].file, "sync/mutex.go");
  EXPECT_EQ(locker->frames.front().function, runtime ? "runtime.gopark" : "internal/sync.runtime_SemacquireMutex");

  // pprof.Do labels: two records, one per label set, the same stack.
  std::vector<const Goroutine*> labelled;
  for (const Goroutine& g : s.goroutines) {
    if (!g.labels.empty()) labelled.push_back(&g);
  }
  ASSERT_EQ(labelled.size(), 2u);
  std::sort(labelled.begin(), labelled.end(), [](auto* a, auto* b) { return a->labels < b->labels; });
  EXPECT_EQ(labelled[0]->labels, (Labels{{"role", "consumer"}, {"shard", "1"}}));
  EXPECT_EQ(labelled[1]->labels, (Labels{{"role", "consumer"}, {"shard", "2"}}));
  for (const Goroutine* g : labelled) {
    EXPECT_EQ(g->count, 1u);
    const size_t leaf = runtime ? 3 : 0;
    ASSERT_GT(g->frames.size(), leaf + 3);
    EXPECT_EQ(g->frames[leaf].function, "main.labelled.func1");
    EXPECT_EQ(g->frames[leaf].file, kMainGo);
    EXPECT_EQ(g->frames[leaf].line, 56);
    EXPECT_EQ(g->frames[leaf + 1].function, "runtime/pprof.Do");
    EXPECT_EQ(g->frames[leaf + 2].function, "main.labelled");
  }

  const Goroutine* leak = find_by_frame(s, "main.leak");
  ASSERT_NE(leak, nullptr);
  EXPECT_EQ(leak->frames.back().line, 64);
}

TEST(Profile, GzipProtobufGoroutineProfile) {
  const Snapshot s = parse_file("profile_goroutine.pb.gz");
  EXPECT_EQ(s.source, "profile_goroutine.pb.gz");
  expect_profilegen_goroutines(s, true);
  for (const Goroutine& g : s.goroutines) EXPECT_EQ(g.line, 0u);
}

TEST(Profile, PlainProtobufReadsAsItsGzip) {
  const Snapshot plain = parse_file("profile_goroutine.pb");
  const Snapshot gz = parse_file("profile_goroutine.pb.gz");
  expect_profilegen_goroutines(plain, true);
  ASSERT_EQ(plain.goroutines.size(), gz.goroutines.size());
  for (size_t i = 0; i < plain.goroutines.size(); ++i) {
    EXPECT_EQ(functions(plain.goroutines[i]), functions(gz.goroutines[i]));
    EXPECT_EQ(plain.goroutines[i].labels, gz.goroutines[i].labels);
    EXPECT_EQ(plain.goroutines[i].count, gz.goroutines[i].count);
  }
}

TEST(Profile, TextGoroutineProfile) {
  const Snapshot s = parse_file("profile_goroutine.txt");
  expect_profilegen_goroutines(s, false);
  // Records start on the "COUNT @" lines: the first right after the header.
  EXPECT_EQ(s.goroutines.front().line, 2u);
  EXPECT_EQ(s.goroutines.front().count, 3u);
}

TEST(Profile, GzipProtobufLeakProfile) {
  const Snapshot s = parse_file("profile_goroutineleak.pb.gz");
  EXPECT_EQ(s.kind, Kind::LeakProfile);
  ASSERT_EQ(s.goroutines.size(), 1u);
  const Goroutine& g = s.goroutines[0];
  EXPECT_TRUE(g.leaked);
  EXPECT_EQ(g.count, 1u);
  EXPECT_EQ(functions(g),
            (std::vector<std::string>{"runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1", "main.leak"}));
  EXPECT_EQ(g.frames.back().file, kMainGo);
  EXPECT_EQ(g.frames.back().line, 64);
  EXPECT_EQ(g.frames.front().file, "runtime/proc.go");
}

TEST(Profile, TextLeakProfile) {
  const Snapshot s = parse_file("profile_goroutineleak.txt");
  EXPECT_EQ(s.kind, Kind::LeakProfile);
  ASSERT_EQ(s.goroutines.size(), 1u);
  const Goroutine& g = s.goroutines[0];
  EXPECT_TRUE(g.leaked);
  EXPECT_EQ(g.count, 1u);
  EXPECT_EQ(g.line, 2u);
  ASSERT_EQ(g.frames.size(), 1u);
  EXPECT_EQ(g.frames[0].function, "main.leak");
  EXPECT_EQ(g.frames[0].file, kMainGo);
  EXPECT_EQ(g.frames[0].line, 64);
}

// One sample as `go tool pprof -traces` prints it, or as parse_profile read it.
struct Trace {
  uint64_t count = 0;
  Labels labels;  // sorted
  std::vector<std::string> functions;
  bool operator==(const Trace&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Trace& t) {
  os << t.count;
  for (const auto& [k, v] : t.labels) os << " " << k << "=" << v;
  for (const std::string& f : t.functions) os << "\n  " << f;
  return os;
}

/// Reads `go tool pprof -traces` output: after a header, blocks separated by "-----------+"
/// lines; in each, "key:  value" label lines, then "COUNT   FUNCTION" and one function per
/// line, inlined ones marked " (inline)".
std::vector<Trace> read_pprof_traces(const std::string& name) {
  std::istringstream in(read_file(name));
  std::vector<Trace> out;
  std::string line;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line.starts_with("-----------+")) {
      in_block = true;
      out.emplace_back();
      continue;
    }
    if (!in_block) continue;
    std::istringstream words(line);
    std::string first;
    words >> first;
    if (first.empty()) continue;
    std::string rest;
    std::getline(words >> std::ws, rest);
    Trace& t = out.back();
    if (t.functions.empty() && first.ends_with(':')) {
      t.labels.emplace_back(first.substr(0, first.size() - 1), rest);
      continue;
    }
    std::string function = line.substr(line.find_first_not_of(' '));
    if (t.functions.empty()) {
      t.count = std::stoull(first);
      function = rest;
    }
    if (function.ends_with(" (inline)")) function.resize(function.size() - 9);
    t.functions.push_back(function);
  }
  if (!out.empty() && out.back().functions.empty()) out.pop_back();  // after the last separator
  for (Trace& t : out) std::sort(t.labels.begin(), t.labels.end());
  return out;
}

std::vector<Trace> traces_of(const Snapshot& s) {
  std::vector<Trace> out;
  for (const Goroutine& g : s.goroutines) {
    Trace t{g.count, g.labels, functions(g)};
    std::sort(t.labels.begin(), t.labels.end());
    out.push_back(std::move(t));
  }
  return out;
}

// Go's own reader and ctxtrail's agree on every sample: count, labels, and each frame with
// inlined ones expanded in the same order. Order of samples is the file's in both.
TEST(Profile, FramesMatchGoToolPprofTraces) {
  for (const std::string name : {"profile_goroutine", "profile_goroutineleak"}) {
    SCOPED_TRACE(name);
    const std::vector<Trace> want = read_pprof_traces(name + ".traces.txt");
    ASSERT_FALSE(want.empty());
    if (name == "profile_goroutine") {  // the reader above must have seen the labels, not skipped them
      EXPECT_EQ(std::count_if(want.begin(), want.end(), [](const Trace& t) { return !t.labels.empty(); }), 2);
    }
    const std::vector<Trace> got = traces_of(parse_file(name + ".pb.gz"));
    ASSERT_EQ(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], want[i]) << "sample " << i;
  }
}

/// The text form leaves out the runtime frames at the leaf of each stack (printStackRecord).
Trace without_leaf_runtime(Trace t) {
  auto user = std::find_if(t.functions.begin(), t.functions.end(), [](const std::string& f) {
    return !f.starts_with("runtime.") && !f.starts_with("internal/runtime/");
  });
  t.functions.erase(t.functions.begin(), user);
  return t;
}

// The two forms written one after the other by the same process say the same thing (the
// writer's own goroutine aside, whose stack differs by a line), up to those runtime frames.
TEST(Profile, TextAndProtobufFormsAgree) {
  std::vector<Trace> proto = traces_of(parse_file("profile_goroutine.pb.gz"));
  std::vector<Trace> text = traces_of(parse_file("profile_goroutine.txt"));
  for (Trace& t : proto) t = without_leaf_runtime(std::move(t));
  const auto by_stack = [](const Trace& a, const Trace& b) {
    return std::tie(a.functions, a.labels, a.count) < std::tie(b.functions, b.labels, b.count);
  };
  std::sort(proto.begin(), proto.end(), by_stack);
  std::sort(text.begin(), text.end(), by_stack);
  EXPECT_EQ(proto, text);
}

}  // namespace
}  // namespace ctxtrail::snapshot

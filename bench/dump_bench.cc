// Times ctxtrail's goroutine-dump reading on one big dump: read the file and parse it
// (snapshot::read_snapshot, what every command does with a dump), then group its goroutines
// by stack (snapshot::group_by_stack), single thread. bench/dump runs it next to panicparse
// (bench/panicparse: ScanSnapshot then Aggregate) on the same file and compares the two.
//
//   dump_bench [google-benchmark flags] DUMP
//
// Reports, besides the time: goroutines, groups and frames found, bytes_per_second,
// items_per_second (goroutines), and memory:
//   heap_peak_bytes    the most bytes held through operator new at any moment of the read,
//                      parse and grouping (malloc's usable size of each block): every buffer,
//                      table and vector ctxtrail builds, without the file itself, which is
//                      mapped read-only (page cache, not this process's heap)
//   result_heap_bytes  of them, what the Snapshot and the groups still hold when done
//   peak_rss_kb        the process's high-water resident set (VmHWM): the binary, the heap,
//                      and the pages of the mapped file resident at the time (read_snapshot
//                      drops them behind its passes a few MiB at a time)
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <new>
#include <string>

#include "ctxtrail/snapshot/groups.h"
#include "ctxtrail/snapshot/snapshot.h"

// Live heap bytes through operator new, and their high-water mark: the memory the parsed
// structures take, measured exactly rather than inferred from the resident set.
namespace {
std::atomic<int64_t> g_live{0};
std::atomic<int64_t> g_peak{0};

void* counted_alloc(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  const int64_t live = g_live.fetch_add(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed) +
                       static_cast<int64_t>(malloc_usable_size(p));
  int64_t peak = g_peak.load(std::memory_order_relaxed);
  while (live > peak && !g_peak.compare_exchange_weak(peak, live, std::memory_order_relaxed)) {
  }
  return p;
}

void counted_free(void* p) {
  if (p == nullptr) return;
  g_live.fetch_sub(static_cast<int64_t>(malloc_usable_size(p)), std::memory_order_relaxed);
  std::free(p);
}
}  // namespace

void* operator new(size_t n) { return counted_alloc(n); }
void* operator new[](size_t n) { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, size_t) noexcept { counted_free(p); }
void operator delete[](void* p, size_t) noexcept { counted_free(p); }

namespace {

std::string g_dump;

// A field of /proc/self/status in KiB ("VmHWM"); -1 when absent.
long status_kb(const std::string& field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(field + ":")) return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return -1;
}

void BM_ReadParseGroup(benchmark::State& state) {
  uint64_t goroutines = 0, groups = 0, frames = 0;
  int64_t heap_peak = 0, result_heap = 0;
  for (auto _ : state) {
    const int64_t before = g_live.load();
    g_peak.store(before);
    auto snapshot = ctxtrail::snapshot::read_snapshot(g_dump);
    if (!snapshot.ok()) {
      state.SkipWithError(snapshot.error().to_string().c_str());
      return;
    }
    const std::vector<ctxtrail::snapshot::StackGroup> grouped = ctxtrail::snapshot::group_by_stack(*snapshot);
    benchmark::DoNotOptimize(grouped.data());
    state.PauseTiming();
    goroutines = snapshot->goroutines.size();
    groups = grouped.size();
    frames = 0;
    for (const auto& g : snapshot->goroutines) frames += g.frames.size();
    heap_peak = g_peak.load() - before;
    result_heap = g_live.load() - before;
    state.ResumeTiming();
  }
  state.counters["goroutines"] = static_cast<double>(goroutines);
  state.counters["groups"] = static_cast<double>(groups);
  state.counters["frames"] = static_cast<double>(frames);
  state.counters["heap_peak_bytes"] = static_cast<double>(heap_peak);
  state.counters["result_heap_bytes"] = static_cast<double>(result_heap);
  state.counters["peak_rss_kb"] = static_cast<double>(status_kb("VmHWM"));
  state.SetItemsProcessed(static_cast<int64_t>(goroutines * state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(std::filesystem::file_size(g_dump) * state.iterations()));
}
BENCHMARK(BM_ReadParseGroup)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()  // every thread, as panicparse's getrusage figure
    ->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: dump_bench [benchmark flags] DUMP\n");
    return 2;
  }
  g_dump = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

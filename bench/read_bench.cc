// Times ctxtrail's trace reader on one big trace: open, then read every event in its global
// order through the public API (ctxtrail/trace/reader.h), single thread. bench/run runs it
// next to Go's parser (tools/goparse bench) on the same file and compares the two.
//
//   read_bench [google-benchmark flags] [--jobs=N] TRACE
//
// One thread (--jobs=1) unless told otherwise: the default of ReaderOptions::jobs is the
// machine's cores, which would time the pipelined reader instead.
//
// Reports, besides the time: events (per read), bytes_per_second and items_per_second (events).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "ctxtrail/trace/reader.h"

namespace {

std::string g_trace;
unsigned g_jobs = 1;

void BM_ReadAllEvents(benchmark::State& state) {
  uint64_t events = 0;
  for (auto _ : state) {
    ctxtrail::trace::ReaderOptions options;
    options.jobs = g_jobs;
    auto reader = ctxtrail::trace::Reader::open(g_trace, std::move(options));
    if (!reader.ok()) {
      state.SkipWithError(reader.error().to_string().c_str());
      return;
    }
    // Batches, as ctxtrail's own stages read (Reader::next_batch).
    std::vector<ctxtrail::trace::Event> batch(256);
    events = 0;
    for (;;) {
      auto got = (*reader)->next_batch(batch);
      if (!got.ok()) {
        state.SkipWithError(got.error().to_string().c_str());
        return;
      }
      if (*got == 0) break;
      events += *got;
      benchmark::DoNotOptimize(batch.data());
      benchmark::ClobberMemory();
    }
  }
  state.counters["events"] = static_cast<double>(events);
  state.SetItemsProcessed(static_cast<int64_t>(events * state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(std::filesystem::file_size(g_trace) * state.iterations()));
}
BENCHMARK(BM_ReadAllEvents)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime()  // every thread the reader may use, as Go's getrusage figure
    ->Iterations(1);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc == 3 && std::sscanf(argv[1], "--jobs=%u", &g_jobs) == 1 && g_jobs > 0) {
    argv[1] = argv[2];
    argc = 2;
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: read_bench [benchmark flags] [--jobs=N] TRACE\n");
    return 2;
  }
  g_trace = argv[1];
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

/// Reader throughput: the bare next() loop over a trace, in events/s and MB/s, with peak RSS.
/// Usage: reader_bench TRACE [REPEAT]. Compare with `goparse bench TRACE` (Go's ReadEvent loop).
#include <sys/resource.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "ctxtrail/trace/reader.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: reader_bench TRACE [REPEAT]\n");
    return 2;
  }
  const int repeat = argc > 2 ? std::atoi(argv[2]) : 3;
  struct stat st {};
  stat(argv[1], &st);
  double best = 1e30;
  uint64_t events = 0;
  for (int r = 0; r < repeat; r++) {
    auto start = std::chrono::steady_clock::now();
    auto reader = ctxtrail::trace::Reader::open(argv[1]);
    if (!reader.ok()) {
      std::fprintf(stderr, "%s\n", reader.error().to_string().c_str());
      return 3;
    }
    ctxtrail::trace::Event ev;
    events = 0;
    for (;;) {
      auto more = (*reader)->next(ev);
      if (!more.ok()) {
        std::fprintf(stderr, "%s\n", more.error().to_string().c_str());
        return 3;
      }
      if (!*more) break;
      events++;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (secs < best) best = secs;
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("events=%llu seconds=%.3f events_per_sec=%.0f mb_per_sec=%.1f peak_rss_kb=%ld\n",
              static_cast<unsigned long long>(events), best, events / best,
              static_cast<double>(st.st_size) / 1e6 / best, ru.ru_maxrss);
  return 0;
}

/// Shared by the rules' unit tests: a synthetic trace's findings, and the shapes most tests start
/// from (main running, a goroutine waiting on ctx.Done()).
#pragma once

#include <gtest/gtest.h>

#include <set>

#include "ctxtrail/diagnose/rules.h"
#include "testing/synthetic_trace.h"

namespace ctxtrail::diagnose::testing {

using model::GoState;
using model::testing::rt;
using model::testing::SyntheticTrace;
using model::testing::user;
using trace::GoID;
using trace::StackID;
inline constexpr int64_t ms = 1'000'000;

inline Report run(SyntheticTrace& t, Options o = {}) {
  model::Model m = t.build();
  Report r = diagnose(m, t.classifier(), o);
  r.waves.store_all();  // m ends here
  return r;
}

inline std::vector<const Finding*> of_rule(const Report& r, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

inline bool has_loc(const Finding& f, std::string_view role, uint64_t line) {
  for (const Location& l : f.locations)
    if (l.role == role && l.where.line == line) return true;
  return false;
}

// A go test trace: testing's main goroutine (G7) runs test goroutine `test` (testing.tRunner)
// from 1ms, which starts `worker` at 2ms from `test_function`'s line `line` of a_test.go.
inline void test_starts_worker(SyntheticTrace& t, GoID test, GoID worker, const std::string& test_function,
                               uint64_t line, const std::string& worker_function) {
  t.status(0, 7, GoState::Running);
  StackID trunner = t.stack({rt("testing.tRunner", "testing/testing.go", 1792)});
  t.create(1 * ms, 7, test, t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}), trunner);
  t.start(1 * ms, test);
  t.create(2 * ms, test, worker,
           t.stack({user(test_function, line, "/home/dev/app/a_test.go"), rt("testing.tRunner", "testing/testing.go", 1792)}),
           t.start_of(worker_function));
  t.start(2 * ms + 10, worker);
}

// main (g1) starts goroutines at main.go:30 that wait in `func` at `line` on ctx.Done().
inline void spawn_waiter(SyntheticTrace& t, GoID g, const std::string& func, uint64_t line, int64_t at = 2 * ms,
                  GoID creator = 1) {
  t.create(at, creator, g, t.stack({user(creator == 1 ? "main.main" : "main.spawner", 30)}), t.start_of(func));
  t.start(at + 1, g);
  t.block(at + 2, g, "select", t.select_stack(func, line));
}

inline SyntheticTrace base() {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  return t;
}

// A spawner goroutine starts `n` goroutines that block on sends nobody receives, then ends.
inline void leak_from_helper(SyntheticTrace& t, int n, int64_t creator_end) {
  t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
  t.start(1 * ms, 5);
  for (int i = 0; i < n; ++i) {
    GoID g = 20 + i;
    t.create(2 * ms, 5, g, t.stack({user("main.fetch", 61)}), t.start_of("main.fetch.func1"));
    t.start(3 * ms, g);
    t.block(3 * ms + i, g, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 63)}));
  }
  t.end(creator_end, 5);
}

// A keep-alive connection's goroutine (G5, alive to the end) serving `calls` requests from 2ms,
// one per millisecond: request i runs handler `fn` (at fn:`go_line`), which starts G(100+i) with
// `start`, which then parks by `park(t, g, at)`; the handler returns and the connection waits
// for the next request on the network.
template <typename Park>
void serve_requests(SyntheticTrace& t, int calls, const std::string& fn, uint64_t go_line, const std::string& start,
                    Park park) {
  t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("net/http.(*conn).serve"));
  t.start(1 * ms + 1, 5);
  const StackID read = t.stack({rt("internal/poll.(*FD).Read", "internal/poll/fd_unix.go", 165),
                                rt("net/http.(*conn).serve", "net/http/server.go", 2000)});
  const StackID made_at = t.stack({user(fn, go_line), rt("net/http.(*conn).serve", "net/http/server.go", 2100)});
  for (int i = 0; i < calls; ++i) {
    const int64_t at = (2 + i) * ms;
    const GoID g = static_cast<GoID>(100 + i);
    t.create(at, 5, g, made_at, t.start_of(start));
    t.start(at + 1, g);
    park(t, g, at + 2);
    t.block(at + 3, 5, "network", read);
    t.unblock(at + ms / 2, trace::kNoGoroutine, 5, 0);
    t.start(at + ms / 2 + 1, 5);
  }
  t.block((2 + calls) * ms, 5, "network", read);
}

}  // namespace ctxtrail::diagnose::testing

// Version 2 of the trail messages (docs/trail-events.md, "Across processes"): each event's
// fields from the spec's example, the joins of abort and remotecancel to their request, and
// version 1 traces reading as before.
#include "ctxtrail/model/remote_links.h"

#include <gtest/gtest.h>

#include "ctxtrail/model/context_tree.h"
#include "testing/synthetic_trace.h"

namespace ctxtrail::model {
namespace {

TrailEvent parsed(std::string_view msg) {
  auto r = parse_trail_message(msg);
  EXPECT_EQ(r.status, TrailParse::Ok) << msg << ": " << r.problem;
  return r.event;
}

TEST(TrailMessageV2, Proc) {
  TrailEvent e = parsed("proc 11400714819323198485 2 client 4242 host-a 1764081000100000000 52000000");
  EXPECT_EQ(e.kind, TrailEventKind::Proc);
  EXPECT_EQ(e.proc_id, 11400714819323198485u);
  EXPECT_EQ(e.version, 2u);
  EXPECT_EQ(e.name, "client");
  EXPECT_EQ(e.pid, 4242u);
  EXPECT_EQ(e.host, "host-a");
  EXPECT_EQ(e.wall, 1764081000100000000);
  EXPECT_EQ(e.mono, 52000000);
}

TEST(TrailMessageV2, SendAndAbort) {
  TrailEvent s = parsed("send 905 7 http 0 1764081000200000000 99000000 1764081000101000000 GET%20api:8080/work");
  EXPECT_EQ(s.kind, TrailEventKind::Send);
  EXPECT_EQ(s.req_id, 905u);
  EXPECT_EQ(s.id, 7u);
  EXPECT_EQ(s.transport, "http");
  EXPECT_EQ(s.dest, 0u);
  EXPECT_EQ(s.deadline, 1764081000200000000);
  EXPECT_EQ(s.timeout, 99000000);
  EXPECT_EQ(s.sent, 1764081000101000000);
  EXPECT_EQ(s.target, "GET api:8080/work");
  TrailEvent a = parsed("abort 905 7 canceled user%20gave%20up");
  EXPECT_EQ(a.kind, TrailEventKind::Abort);
  EXPECT_EQ(a.err, "canceled");
  EXPECT_EQ(a.cause, "user gave up");
}

TEST(TrailMessageV2, RemoteAndRemoteCancel) {
  TrailEvent r = parsed(
      "remote 3 905 http 11400714819323198485 7 1764081000200000000 99000000 1764081000101000000 - GET%20/work");
  EXPECT_EQ(r.kind, TrailEventKind::Remote);
  EXPECT_EQ(r.id, 3u);
  EXPECT_EQ(r.req_id, 905u);
  EXPECT_EQ(r.proc_id, 11400714819323198485u);
  EXPECT_EQ(r.remote_ctx, 7u);
  EXPECT_EQ(r.flags, "");
  EXPECT_EQ(r.target, "GET /work");
  TrailEvent k = parsed("remote 1 5 k8s 9 4 0 0 1796676625290034643 tc default/report");
  EXPECT_EQ(k.flags, "tc");
  TrailEvent c = parsed("remotecancel 3 905 close 0 -");
  EXPECT_EQ(c.kind, TrailEventKind::RemoteCancel);
  EXPECT_EQ(c.how, "close");
  EXPECT_EQ(c.cause, "");
  TrailEvent n = parsed("remotecancel 1 12 annotation 1796676625350558271 reconcile%20superseded");
  EXPECT_EQ(n.sent, 1796676625350558271);
  EXPECT_EQ(n.cause, "reconcile superseded");
}

TEST(TrailMessageV2, MalformedFieldsAreNamed) {
  auto r = parse_trail_message("send 905 7 http 0 x 1 2 t");
  EXPECT_EQ(r.status, TrailParse::Malformed);
  EXPECT_EQ(r.problem, "send: field 5 (deadline): bad value 'x'");
  auto p = parse_trail_message("proc 1 2 client");
  EXPECT_EQ(p.status, TrailParse::Malformed);
  EXPECT_EQ(p.problem, "proc: field 4 (pid): missing");
  // Later versions append fields: ignored.
  EXPECT_EQ(parse_trail_message("remotecancel 3 905 close 0 - extra").status, TrailParse::Ok);
}

struct Fixture {
  testing::SyntheticTrace t;
  ContextTreeBuilder b{t};
  ContextTree finish() {
    Model m = t.build();
    return b.finish(m);
  }
};

TEST(RemoteLinks, TheSpecExampleJoinsAbortAndRemoteCancelToTheirRequest) {
  Fixture client;
  client.b.on_message("proc 11400714819323198485 2 client 4242 host-a 1764081000100000000 52000000", 10, 1);
  client.b.on_message("new 7 0 timeout 1764081000200000000 n 0 main.call /src/client/main.go 30", 20, 1);
  client.b.on_message("send 905 7 http 0 1764081000200000000 99000000 1764081000101000000 GET%20api:8080/work", 30,
                      1);
  client.b.on_message("cancel 7 own 0 canceled - main.call /src/client/main.go 41 user%20gave%20up", 40, 1);
  client.b.on_message("abort 905 7 canceled user%20gave%20up", 50, 1);
  ContextTree c = client.finish();
  ASSERT_EQ(c.remote.stamps.size(), 1u);
  EXPECT_EQ(c.remote.proc_id(), 11400714819323198485u);
  EXPECT_EQ(c.remote.stamps[0].time, 10);
  ASSERT_EQ(c.remote.sends.size(), 1u);
  ASSERT_TRUE(c.remote.sends[0].abort);
  EXPECT_EQ(c.remote.sends[0].abort->time, 50);
  EXPECT_EQ(c.remote.sends[0].abort->cause, "user gave up");
  EXPECT_EQ(c.oddity(ContextOddity::unknown_event), 0u);
  EXPECT_EQ(c.contexts.size(), 1u);

  Fixture server;
  server.b.on_message("proc 2654435761 2 server 77 host-b 1764081000102000000 3100000", 5, 2);
  server.b.on_message("new 3 0 deadlinecause 1764081000201000000 un 0 h /src/handler.go 25", 6, 2);
  server.b.on_message(
      "remote 3 905 http 11400714819323198485 7 1764081000200000000 99000000 1764081000101000000 - GET%20/work", 7, 2);
  server.b.on_message("remotecancel 3 905 close 0 -", 80, 3);
  server.b.on_message("remotecancel 3 906 close 0 -", 81, 3);  // no such request
  ContextTree s = server.finish();
  ASSERT_EQ(s.remote.receives.size(), 1u);
  const RemoteReceive& r = s.remote.receives[0];
  EXPECT_EQ(r.caller_proc, 11400714819323198485u);
  EXPECT_EQ(r.caller_ctx, 7u);
  ASSERT_TRUE(r.cancel);
  EXPECT_EQ(r.cancel->how, "close");
  EXPECT_EQ(r.cancel->time, 80);
  EXPECT_EQ(r.cancel->g, 3u);
  EXPECT_EQ(s.remote.unmatched, 1u);
}

TEST(RemoteLinks, AVersionOneTraceHasNone) {
  Fixture f;
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 1, 1);
  f.b.on_message("cancel 1 own 0 canceled - f /m.go 4 -", 5, 1);
  ContextTree t = f.finish();
  EXPECT_TRUE(t.remote.empty());
  EXPECT_EQ(t.remote.proc_id(), 0u);
}

}  // namespace
}  // namespace ctxtrail::model

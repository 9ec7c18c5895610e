package wire

import (
	"os"
	"strings"
	"testing"
)

// TestParseCrossProcess: the version 2 events, as in the spec's example, decode field by field.
func TestParseCrossProcess(t *testing.T) {
	for _, c := range []struct {
		msg  string
		want Event
	}{
		{"proc 11400714819323198485 2 client 4242 host-a 1764081000100000000 52000000",
			Event{Kind: EventProc, ID: 11400714819323198485, Version: 2, Name: "client", Pid: 4242, Host: "host-a", Wall: 1764081000100000000, Mono: 52000000}},
		{"send 905 7 http 0 1764081000200000000 99000000 1764081000101000000 GET%20api:8080/work",
			Event{Kind: EventSend, Request: 905, ID: 7, Transport: TransportHTTP, Deadline: 1764081000200000000, Timeout: 99000000, Sent: 1764081000101000000, Target: "GET api:8080/work"}},
		{"abort 905 7 canceled user%20gave%20up",
			Event{Kind: EventAbort, Request: 905, ID: 7, Err: "canceled", Cause: "user gave up"}},
		{"remote 3 905 grpc 11400714819323198485 7 1764081000200000000 -5 1764081000101000000 xt /pkg.S/M",
			Event{Kind: EventRemote, ID: 3, Request: 905, Transport: TransportGRPC, Process: 11400714819323198485, RemoteCtx: 7, Deadline: 1764081000200000000, Timeout: -5, Sent: 1764081000101000000, Flags: "xt", Target: "/pkg.S/M"}},
		{"remotecancel 3 905 annotation 1764081000300000000 reconcile%20gave%20up",
			Event{Kind: EventRemoteCancel, ID: 3, Request: 905, How: HowAnnotation, Sent: 1764081000300000000, Cause: "reconcile gave up"}},
	} {
		got, err := Parse(c.msg)
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) =\n %+v, %v\nwant\n %+v", c.msg, got, err, c.want)
		}
		if _, err := Parse(c.msg[:strings.LastIndexByte(c.msg, ' ')]); err == nil {
			t.Errorf("Parse(%q without its last field) succeeded", c.msg)
		}
	}
}

// TestSpecExamplesParse: every line of the spec's example blocks is an event Parse decodes,
// so the document and the reference decoder cannot drift apart.
func TestSpecExamplesParse(t *testing.T) {
	doc, err := os.ReadFile("../../../docs/trail-events.md")
	if err != nil {
		t.Skip("docs/trail-events.md not found:", err)
	}
	_, examples, _ := strings.Cut(string(doc), "## Examples")
	examples, _, _ = strings.Cut(examples, "## How it works")
	n := 0
	pieces := strings.Split(examples, "```")
	for i := 1; i < len(pieces); i += 2 { // the code blocks
		for _, line := range strings.Split(pieces[i], "\n") {
			if line == "" {
				continue
			}
			if _, err := Parse(line); err != nil {
				t.Errorf("spec example %q: %v", line, err)
			}
			n++
		}
	}
	if n < 15 {
		t.Errorf("only %d example events found in the spec", n)
	}
}

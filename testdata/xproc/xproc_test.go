package xproc

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// messages returns the ctxtrail events of a trace file, read by Go's own trace parser.
func messages(t *testing.T, path string) []wire.Event {
	t.Helper()
	out, err := exec.Command("go", "tool", "trace", "-d=parsed", path).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool trace -d=parsed %s: %v\n%s", path, err, out)
	}
	var evs []wire.Event
	for _, m := range regexp.MustCompile(`Category="ctxtrail" Message="([^"]*)"`).FindAllStringSubmatch(string(out), -1) {
		e, err := wire.Parse(m[1])
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		evs = append(evs, e)
	}
	return evs
}

// scenarios runs run.sh with pre (nothing or --k8s) clean and with each planted bug, and
// check on the directory of each run's traces.
func scenarios(t *testing.T, pre []string, check func(t *testing.T, bug, dir string)) {
	if testing.Short() {
		t.Skip("builds and runs the programs")
	}
	for _, bug := range []string{"clean", "--drop-deadline", "--ignore-cancel"} {
		t.Run(strings.TrimPrefix(bug, "--"), func(t *testing.T) {
			dir := t.TempDir()
			args := append(append([]string(nil), pre...), dir)
			if bug != "clean" {
				args = append(args, bug)
			}
			if out, err := exec.Command("./run.sh", args...).CombinedOutput(); err != nil {
				t.Fatalf("run.sh %v: %v\n%s", args, err, out)
			}
			check(t, bug, dir)
		})
	}
}

func one(t *testing.T, evs []wire.Event, kind wire.EventKind, which string) *wire.Event {
	t.Helper()
	var found *wire.Event
	for i := range evs {
		if evs[i].Kind == kind {
			if found != nil {
				t.Fatalf("%s: more than one %s", which, kind)
			}
			found = &evs[i]
		}
	}
	return found
}

// TestThreeProcesses runs run.sh (three processes on loopback) clean and with each planted
// bug, and checks the chain the three traces tell: the client's request is the gateway's
// remote parent, the gateway's call the backend's; the client's cancel reaches the gateway
// (connection close) and the backend (stream reset), unless the gateway dropped the deadline.
func TestThreeProcesses(t *testing.T) {
	scenarios(t, nil, func(t *testing.T, bug, dir string) {
		ev := map[string][]wire.Event{}
		proc := map[string]uint64{}
		for _, p := range []string{"client", "gateway", "backend"} {
			ev[p] = messages(t, filepath.Join(dir, p+".trace"))
			pe := one(t, ev[p], wire.EventProc, p)
			if pe == nil || pe.Name != p || pe.Version != wire.Version {
				t.Fatalf("%s: proc event %+v", p, pe)
			}
			proc[p] = pe.ID
		}
		csend, cabort := one(t, ev["client"], wire.EventSend, "client"), one(t, ev["client"], wire.EventAbort, "client")
		gremote, grc := one(t, ev["gateway"], wire.EventRemote, "gateway"), one(t, ev["gateway"], wire.EventRemoteCancel, "gateway")
		gsend := one(t, ev["gateway"], wire.EventSend, "gateway")
		bremote, brc := one(t, ev["backend"], wire.EventRemote, "backend"), one(t, ev["backend"], wire.EventRemoteCancel, "backend")
		if csend == nil || cabort == nil || cabort.Cause != "client gave up" || gremote == nil || gremote.Request != csend.Request ||
			gremote.Process != proc["client"] || grc == nil || grc.How != wire.HowClose {
			t.Fatalf("client -> gateway: send %+v abort %+v remote %+v remotecancel %+v", csend, cabort, gremote, grc)
		}
		if gsend == nil || bremote == nil || bremote.Request != gsend.Request || bremote.Process != proc["gateway"] {
			t.Fatalf("gateway -> backend: send %+v remote %+v", gsend, bremote)
		}
		if bug == "--drop-deadline" {
			if gsend.Deadline <= gremote.Deadline || brc != nil {
				t.Errorf("dropped deadline: gateway sent %d after receiving %d; backend remotecancel %+v", gsend.Deadline, gremote.Deadline, brc)
			}
			return
		}
		// Applied from the time left on arrival: off by the loopback's latency at most.
		if d := gsend.Deadline - csend.Deadline; d < -100e6 || d > 100e6 {
			t.Errorf("the client's deadline did not reach the gateway's call: %d vs %d", gsend.Deadline, csend.Deadline)
		}
		if brc == nil || brc.How != wire.HowReset {
			t.Errorf("the cancel did not reach the backend: %+v", brc)
		}
		// The backend's work watches its context, unless it ignores the cancel.
		if w := one(t, ev["backend"], wire.EventWatch, "backend"); (w != nil) != (bug == "clean") {
			t.Errorf("%s: the backend's watch: %+v", bug, w)
		}
	})
}

// TestOperatorAndJob runs run-k8s.sh (an operator and its Job's process sharing a file of
// annotations) clean and with each planted bug: the reconcile's deadline reaches the Job
// unless dropped, and its cancel request stops the Job's work, whose context the clean Job
// watches.
func TestOperatorAndJob(t *testing.T) {
	scenarios(t, []string{"--k8s"}, func(t *testing.T, bug, dir string) {
		op, job := messages(t, filepath.Join(dir, "operator.trace")), messages(t, filepath.Join(dir, "job.trace"))
		send, abort := one(t, op, wire.EventSend, "operator"), one(t, op, wire.EventAbort, "operator")
		remote, rc := one(t, job, wire.EventRemote, "job"), one(t, job, wire.EventRemoteCancel, "job")
		if send == nil || abort == nil || remote == nil || rc == nil || remote.Request != send.Request || rc.Request != send.Request ||
			remote.Transport != wire.TransportK8s || rc.How != wire.HowAnnotation || rc.Cause != "reconcile superseded" || abort.Cause != rc.Cause {
			t.Fatalf("operator send %+v abort %+v, job remote %+v remotecancel %+v", send, abort, remote, rc)
		}
		if (remote.Deadline == 0) != (bug == "--drop-deadline") {
			t.Errorf("%s: the Job's deadline %d", bug, remote.Deadline)
		}
		if w := one(t, job, wire.EventWatch, "job"); (w != nil) == (bug == "--ignore-cancel") {
			t.Errorf("%s: the Job's watch: %+v", bug, w)
		}
	})
}

package trail

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/trace"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail/wire"
)

// TestTraceRoundTrip writes a real trace file, parses it with Go's own trace parser
// (`go tool trace -d=parsed`, the same code as golang.org/x/exp/trace) and checks that
// every ctxtrail message comes back intact, under category ctxtrail, decodable, and from
// the right goroutine.
func TestTraceRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go tool trace")
	}
	path := filepath.Join(t.TempDir(), "rt.trace")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := trace.Start(f); err != nil {
		t.Fatal(err)
	}
	get, stop := captureLog()
	root, cancel := WithCancelCause(Background())
	child, ccancel := WithTimeout(root, time.Hour)
	done := make(chan struct{})
	go func() { // another goroutine watches the child
		<-child.Done()
		_ = child.Err()
		close(done)
	}()
	cancel(errors.New(`cause with "quotes", spaces and ünïcode`))
	<-done
	ccancel() // late
	ran := make(chan struct{})
	AfterFunc(root, func() { close(ran) }) // root is done: runs at once
	<-ran                                  // "afterrun" is logged before f runs
	waitFor(t, "child cancel", func() bool {
		for _, m := range get() {
			if e, err := wire.Parse(m); err == nil && e.Kind == "cancel" && e.ID == ID(child) {
				return true
			}
		}
		return false
	})
	stop()
	trace.Stop()
	f.Close()

	out, err := exec.Command("go", "tool", "trace", "-d=parsed", path).CombinedOutput()
	if err != nil {
		t.Skipf("go tool trace -d=parsed unavailable: %v\n%.300s", err, out)
	}
	re := regexp.MustCompile(`(?m)^M=\S+ P=\S+ G=(-?\d+) Log Time=\d+ Task=\d+ Category="ctxtrail" Message=(".*")$`)
	var parsed []string
	goroutineOf := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		msg, err := strconv.Unquote(m[2])
		if err != nil {
			t.Fatalf("unquote %s: %v", m[2], err)
		}
		if _, err := wire.Parse(msg); err != nil {
			t.Errorf("Go's parser returned an undecodable message %q: %v", msg, err)
		}
		parsed = append(parsed, msg)
		goroutineOf[msg] = m[1]
	}
	want := get()
	sort.Strings(parsed)
	sort.Strings(want)
	if len(want) < 8 {
		t.Fatalf("too few messages captured: %q", want)
	}
	have := map[string]bool{}
	for _, m := range parsed {
		have[m] = true
	}
	for _, m := range want {
		if !have[m] {
			t.Errorf("message %q not in the parsed trace", m)
		}
	}
	// AfterFunc's registration and run.
	var after, afterrun *wire.Event
	for _, m := range want {
		e, _ := wire.Parse(m)
		switch e.Kind {
		case "after":
			after = &e
		case "afterrun":
			afterrun = &e
		}
	}
	if after == nil || afterrun == nil || after.ID != ID(root) || after.AfterID == 0 || afterrun.AfterID != after.AfterID ||
		!strings.Contains(after.Site.Func, "TestTraceRoundTrip") {
		t.Errorf("after %+v afterrun %+v", after, afterrun)
	}
	// The watch of the child comes from another goroutine than its creation.
	var newG, watchG string
	for m, g := range goroutineOf {
		e, _ := wire.Parse(m)
		if e.ID == ID(child) && e.Kind == "new" {
			newG = g
		}
		if e.ID == ID(child) && e.Kind == "watch" {
			watchG = g
		}
	}
	if newG == "" || watchG == "" || newG == watchG {
		t.Errorf("goroutines: new on G=%s, watch on G=%s", newG, watchG)
	}
	_ = context.Background
}

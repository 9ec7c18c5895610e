// The text of failure reports: what a leaked goroutine was doing, who started it, and what
// became of the contexts it watched or of the context that was never cancelled.

package trailtest

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

func describeLeaks(leaks []*leak) string {
	sort.Slice(leaks, func(i, j int) bool { return leaks[i].g.ID < leaks[j].g.ID })
	var b strings.Builder
	for _, l := range leaks {
		g := l.g
		state := g.kind()
		if state == "blocked" {
			state = "blocked on " + g.State
		}
		if g.Waiting != "" {
			state += " for " + g.Waiting
		}
		start := g.startFunc()
		if l.start != nil {
			start = l.start.fn + " (via trailtest.Go)"
		}
		fmt.Fprintf(&b, "\n  goroutine %d: %s, started as %s\n", g.ID, state, start)
		owner := l.owner
		if owner == "" {
			if m := testFuncOf(g); m != nil {
				owner = m[1] + " (from the function that started it; call trailtest.VerifyNoLeaks in the test to be sure)"
			} else {
				owner = "unknown (its creator exited before trailtest saw it; start it with trailtest.Go to know)"
			}
		}
		fmt.Fprintf(&b, "    test: %s\n", owner)
		if l.timer != "" && g.kind() == "blocked" {
			if strings.HasSuffix(g.State, " (leaked)") {
				fmt.Fprintf(&b, "    not waited for: its code sets up a timer at %s, but the goroutine leak profile proved nothing can wake it\n", l.timer)
			} else {
				fmt.Fprintf(&b, "    waited for: a timer its code sets up at %s (still pending, stopped, or not what it waits for)\n", l.timer)
			}
		}
		if g.CreatedBy.Func != "" {
			fmt.Fprintf(&b, "    created by %s in goroutine %d at %s:%d\n", g.CreatedBy.Func, g.Creator, g.CreatedBy.File, g.CreatedBy.Line)
		}
		if chain := creationChain(g.Creator); chain != "" {
			b.WriteString(chain)
		}
		if l.start != nil {
			b.WriteString("    creation stack (trailtest.Go called from):\n")
			fr := runtime.CallersFrames(l.start.stack)
			for {
				f, more := fr.Next()
				if strings.HasPrefix(f.Function, "testing.") || f.Function == "runtime.goexit" {
					break
				}
				fmt.Fprintf(&b, "      %s\n          %s:%d\n", f.Function, f.File, f.Line)
				if !more {
					break
				}
			}
		}
		if len(l.watched) == 0 {
			if reg.Tracking() {
				b.WriteString("    watching no traced context (it never called Done or Err on a trail context)\n")
			}
		}
		for _, i := range l.watched {
			fmt.Fprintf(&b, "    watching context %s\n", describeInfo(i))
			if i.Parent != nil {
				fmt.Fprintf(&b, "      parent chain: %s\n", chain(i.Parent))
			}
		}
		b.WriteString("    stack:\n")
		for _, f := range g.Frames {
			fmt.Fprintf(&b, "      %s\n          %s:%d\n", f.Func, f.File, f.Line)
		}
	}
	return b.String()
}

// creationChain describes the goroutines that (transitively) created a goroutine, from
// its creator up, as far as dumps have seen them.
func creationChain(id int64) string {
	mu.Lock()
	defer mu.Unlock()
	var b strings.Builder
	for depth := 0; id != 0 && depth < 20; depth++ {
		a, ok := ancestry[id]
		name := testOf[id]
		switch {
		case name != "" && strings.HasPrefix(a.start, "testing.tRunner"):
			fmt.Fprintf(&b, "      <- goroutine %d: test %s\n", id, name)
			return "    creation chain:\n" + b.String()
		case !ok:
			fmt.Fprintf(&b, "      <- goroutine %d (exited before trailtest saw it)\n", id)
			return "    creation chain:\n" + b.String()
		}
		fmt.Fprintf(&b, "      <- goroutine %d started as %s", id, a.start)
		if a.createdBy.Func != "" {
			fmt.Fprintf(&b, ", created by %s at %s:%d", a.createdBy.Func, filepath.Base(a.createdBy.File), a.createdBy.Line)
		}
		if name != "" {
			fmt.Fprintf(&b, " (test %s)", name)
		}
		b.WriteString("\n")
		id = creators[id]
	}
	return "    creation chain:\n" + b.String()
}

var testFuncRE = regexp.MustCompile(`\.(Test[^./]*)(\.|$)`)

// testFuncOf finds the Test function a goroutine comes from by name: the function whose go
// statement started it, else the function it was started with (a closure TestC.func2
// started by a helper).
func testFuncOf(g *goroutine) []string {
	if m := testFuncRE.FindStringSubmatch(g.CreatedBy.Func); m != nil {
		return m
	}
	return testFuncRE.FindStringSubmatch(g.startFunc())
}

func shortSite(s reg.Site) string {
	if s.File == "" {
		return "?"
	}
	return fmt.Sprintf("%s:%d (%s)", filepath.Base(s.File), s.Line, s.Func)
}

// describeInfo says what is known about one traced context.
func describeInfo(i *reg.Info) string {
	s := fmt.Sprintf("#%d %s created at %s", i.ID, i.Kind, shortSite(i.Created))
	if !i.Deadline.IsZero() {
		s += fmt.Sprintf(", deadline %s", i.Deadline.Format("15:04:05.000"))
	}
	c := i.Cancelled()
	switch {
	case c.Done:
		s += fmt.Sprintf(": cancelled at %s (%v ago) ", c.When.Format("15:04:05.000"), time.Since(c.When).Round(time.Millisecond))
		switch c.Reason {
		case reg.ReasonOwn:
			s += "by its own cancel func at " + shortSite(c.Site)
		case reg.ReasonParent:
			s += fmt.Sprintf("by its parent #%d", c.From)
		case reg.ReasonDeadline:
			s += "by its deadline"
		}
		s += fmt.Sprintf(", cause %q", c.Cause)
	case i.IsDone():
		s += ": done (cancellation being recorded)"
	case i.DoneCh == nil:
		s += ": can never be cancelled"
	default:
		s += ": NOT cancelled"
	}
	return s
}

func chain(i *reg.Info) string {
	var parts []string
	for ; i != nil; i = i.Parent {
		parts = append(parts, fmt.Sprintf("#%d %s at %s", i.ID, i.Kind, shortSite(i.Created)))
	}
	return strings.Join(parts, " <- ")
}

func whyNotCancelled(ctx context.Context) string {
	info, _ := ctx.Value(reg.Key).(*reg.Info)
	if info == nil {
		return "  ctx is not a traced context (made while tracing was off, or not with package trail; " +
			"use trailtest.VerifyTestMain so tracing is on from the start): its creation site is unknown"
	}
	var b strings.Builder
	b.WriteString("  the cancel that never came — none of these was cancelled:\n")
	for i := info; i != nil; i = i.Parent {
		fmt.Fprintf(&b, "    #%d %s created at %s", i.ID, i.Kind, shortSite(i.Created))
		switch {
		case i.Kind == "withoutcancel":
			b.WriteString(": WithoutCancel — cancelling anything above it never reaches ctx\n")
			return b.String()
		case i.DoneCh == nil:
			b.WriteString(": can never be cancelled (a root)\n")
		case i.IsDone():
			b.WriteString(": done\n")
		default:
			b.WriteString(": its cancel func was never called")
			if !i.Deadline.IsZero() {
				fmt.Fprintf(&b, " and its deadline %s is %v away", i.Deadline.Format("15:04:05.000"), time.Until(i.Deadline).Round(time.Millisecond))
			}
			b.WriteString("\n")
		}
		if i.Parent == nil && i.DoneCh != nil {
			b.WriteString("    (its parent is not a traced context)\n")
		}
	}
	return b.String()
}

// What a failing test's trace is analyzed for: its own leaks, with a grace that fits their
// age. The flight recorder's window holds earlier tests too, and ctxtrail's default grace
// (up to 500 ms) is longer than a leak is old when its check fails (about a millisecond
// after the context it watched was done).

package trailtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ctxtrail/ctxtrail/go/internal/reg"
)

// focus selects the findings of `ctxtrail analyze` that concern one check: those naming one
// of its goroutines (G<id>) or contexts (context #<id>). grace, when not zero, is passed
// as --grace.
type focus struct {
	goroutines map[int64]bool
	contexts   map[uint64]bool
	grace      time.Duration
}

// minGrace keeps the grace above the trace's own timing noise.
const minGrace = 100 * time.Microsecond

// leakPark is how long the test goroutine parks between a failed leak check and the trace
// it writes. ctxtrail takes a test whose goroutine is still alive (in its cleanup, where
// the check runs) as ended once that goroutine parked without the test function on its
// stack; and every leak, parked since before, is then older than leakPark in the trace,
// also one that waits on a context nobody cancelled, whose age nothing else tells.
const leakPark = time.Millisecond

// focusOnLeaks is the focus of a failed leak check: its leaked goroutines, the contexts
// they watched, and a grace of half the age of the youngest leak that watched a context
// (for one that watched a done context, the time since that context was done; for one
// whose contexts nobody cancelled, leakPark), so that every such leak is older than the
// grace in the trace written now. A leak that watched no context gets ctxtrail's grace:
// with a shorter one, a cancel wave of the test's last milliseconds (a detached job's
// deadline) would be cited as what stranded it, rather than the test's own cancel.
func focusOnLeaks(leaks []*leak, now time.Time) *focus {
	f := &focus{goroutines: map[int64]bool{}, contexts: map[uint64]bool{}}
	younger := func(g time.Duration) {
		if f.grace == 0 || g < f.grace {
			f.grace = g
		}
	}
	for _, l := range leaks {
		f.goroutines[l.g.ID] = true
		aged := false
		for _, i := range l.watched {
			f.contexts[i.ID] = true
			if c := i.Cancelled(); c.Done {
				younger(now.Sub(c.When) / 2)
				aged = true
			}
		}
		if !aged && len(l.watched) > 0 {
			younger(leakPark / 2)
		}
	}
	if f.grace != 0 && f.grace < minGrace {
		f.grace = minGrace
	}
	return f
}

// args are the options of `ctxtrail analyze` for this focus.
func (f *focus) args() []string {
	if f == nil || f.grace == 0 {
		return nil
	}
	return []string{"--grace", strconv.FormatInt(f.grace.Microseconds(), 10) + "us"}
}

var (
	goroutineRef = regexp.MustCompile(`\bG(\d+)\b`)
	contextRef   = regexp.MustCompile(`context #(\d+)\b`)
	findingHead  = regexp.MustCompile(`^(error|warning|info)\[`)
)

// filter keeps, of ctxtrail's text report, the summary and, of each finding, the items
// ("  * ..." and their detail lines) that name one of f's goroutines or contexts; the rest
// (earlier tests' leaks in the recorded window, and the trace-wide cancel waves) is
// counted in one line.
func (f *focus) filter(report string) string {
	if f == nil {
		return report
	}
	paragraphs := strings.Split(strings.TrimRight(report, "\n"), "\n\n")
	kept := paragraphs[:1]
	other := 0
	for _, p := range paragraphs[1:] {
		if !findingHead.MatchString(p) {
			continue
		}
		own, others := f.items(p)
		other += others
		if own != "" {
			kept = append(kept, own)
		}
	}
	out := strings.Join(kept, "\n\n") + "\n"
	if other > 0 {
		out += fmt.Sprintf("\n(%d more about other goroutines and contexts, e.g. earlier tests', left out: run the command above for all)\n", other)
	}
	return out
}

// items splits a finding into its heading and items, and returns the heading with the
// items that name f's goroutines or contexts ("" when none does), and how many did not.
func (f *focus) items(finding string) (string, int) {
	var head, cur []string
	var own []string
	others := 0
	flush := func() {
		if cur == nil {
			return
		}
		if item := strings.Join(cur, "\n"); f.names(item) {
			own = append(own, item)
		} else {
			others++
		}
		cur = nil
	}
	for _, line := range strings.Split(finding, "\n") {
		switch {
		case strings.HasPrefix(line, "  * "):
			flush()
			cur = []string{line}
		case cur != nil:
			cur = append(cur, line)
		default:
			head = append(head, line)
		}
	}
	flush()
	if len(own) == 0 {
		return "", others
	}
	return strings.Join(append(head, own...), "\n"), others
}

// names reports whether text names one of f's goroutines (G<id>) or contexts (context #<id>).
func (f *focus) names(text string) bool {
	for _, m := range goroutineRef.FindAllStringSubmatch(text, -1) {
		if id, err := strconv.ParseInt(m[1], 10, 64); err == nil && f.goroutines[id] {
			return true
		}
	}
	for _, m := range contextRef.FindAllStringSubmatch(text, -1) {
		if id, err := strconv.ParseUint(m[1], 10, 64); err == nil && f.contexts[id] {
			return true
		}
	}
	return false
}

// focusOnContext is the focus of a failed AssertContextCancelled: ctx and its traced
// ancestors.
func focusOnContext(ctx interface{ Value(any) any }) *focus {
	f := &focus{contexts: map[uint64]bool{}}
	info, _ := ctx.Value(reg.Key).(*reg.Info)
	for i := info; i != nil; i = i.Parent {
		f.contexts[i.ID] = true
	}
	return f
}

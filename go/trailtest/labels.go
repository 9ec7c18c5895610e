// Goroutine labels from the runtime's goroutine profile. A goroutine dump shows pprof
// labels only with GODEBUG=tracebacklabels=1 (Go 1.26+), a process-wide setting that
// parallel tests and subprocesses would see too; the goroutine profile (debug=1) shows
// them on every Go release, per distinct stack, without goroutine ids. A dumped goroutine
// gets the labels of the profile entries with its stack; where entries with that stack
// disagree (two goroutines parked at the same line under different labels), it gets only
// the labels they agree on.

package trailtest

import (
	"bytes"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
)

// dumpGoroutines parses a dump of all goroutines and gives them their labels.
func dumpGoroutines() []*goroutine {
	gs := parseDump(string(stacks()))
	byStack := profileLabels()
	for _, g := range gs {
		if g.Labels == nil { // not shown by the dump (the usual case: no GODEBUG)
			g.Labels = agreed(byStack[stackKey(g.Frames)])
		}
	}
	return gs
}

// ownMu serializes ownLabels: the profile entry of the calling goroutine is the one whose
// stack goes through ownLabels.
var ownMu sync.Mutex

// ownLabels returns the calling goroutine's pprof labels.
func ownLabels() map[string]string {
	ownMu.Lock()
	defer ownMu.Unlock()
	for key, sets := range profileLabels() {
		if strings.Contains(key, "/trailtest.ownLabels ") {
			return agreed(sets)
		}
	}
	return nil
}

// stackKey identifies a stack by its frames outside the runtime ("func file:line" each),
// which the dump and the profile print alike (they elide different runtime frames).
func stackKey(frames []frame) string {
	var b strings.Builder
	for _, f := range frames {
		if strings.HasPrefix(f.Func, "runtime.") || strings.HasPrefix(f.Func, "internal/runtime/") {
			continue
		}
		b.WriteString(f.Func + " " + f.File + ":" + strconv.Itoa(f.Line) + "\n")
	}
	return b.String()
}

// profileLabels returns the label sets of the goroutine profile's entries by stack key (an
// entry without labels counts as an empty set).
func profileLabels() map[string][]map[string]string {
	var buf bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&buf, 1); err != nil {
		return nil
	}
	return parseProfileLabels(buf.String())
}

// parseProfileLabels parses the debug=1 text of the goroutine profile:
//
//	1 @ 0x47d92e 0x4158ee 0x4dc1f9 0x483e41
//	# labels: {"ctxtrail.test":"TestA"}
//	#	0x4dc1f8	main.worker+0x18	/src/main.go:10
func parseProfileLabels(text string) map[string][]map[string]string {
	out := map[string][]map[string]string{}
	for _, entry := range strings.Split(text, "\n\n") {
		labels := map[string]string{}
		var frames []frame
		for _, line := range strings.Split(entry, "\n") {
			if l, ok := strings.CutPrefix(line, "# labels: "); ok {
				labels = parseProfileLabelSet(l)
				continue
			}
			f := strings.Fields(line)
			if len(f) != 4 || f[0] != "#" {
				continue
			}
			fn := f[2]
			if k := strings.LastIndex(fn, "+0x"); k > 0 {
				fn = fn[:k]
			}
			fr := frame{Func: fn}
			if k := strings.LastIndexByte(f[3], ':'); k > 0 {
				fr.File = f[3][:k]
				fr.Line, _ = strconv.Atoi(f[3][k+1:])
			}
			frames = append(frames, fr)
		}
		if len(frames) > 0 {
			key := stackKey(frames)
			out[key] = append(out[key], labels)
		}
	}
	return out
}

// parseProfileLabelSet parses {"k":"v", "k2":"v2"} (Go-quoted keys and values).
func parseProfileLabelSet(s string) map[string]string {
	m := map[string]string{}
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "{"), "}")
	for s != "" {
		k, rest, ok := cutQuoted(strings.TrimLeft(s, " ,"))
		if !ok {
			break
		}
		v, rest, ok := cutQuoted(strings.TrimPrefix(rest, ":"))
		if !ok {
			break
		}
		m[k] = v
		s = rest
	}
	return m
}

func cutQuoted(s string) (value, rest string, ok bool) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", s, false
	}
	v, err := strconv.Unquote(q)
	return v, s[len(q):], err == nil
}

// agreed is the labels every set has with the same value (nil when none).
func agreed(sets []map[string]string) map[string]string {
	if len(sets) == 0 {
		return nil
	}
	var m map[string]string
	for k, v := range sets[0] {
		same := true
		for _, s := range sets[1:] {
			if w, ok := s[k]; !ok || w != v {
				same = false
				break
			}
		}
		if same {
			if m == nil {
				m = map[string]string{}
			}
			m[k] = v
		}
	}
	return m
}

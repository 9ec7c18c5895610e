package trailtest

import (
	"regexp"
	"runtime"
	"strconv"
	"strings"
)

// frame is one frame of a goroutine dump.
type frame struct {
	Func string // "pkg.F" without the argument list
	File string
	Line int
}

func (f frame) String() string { return f.Func + "\n        " + f.File + ":" + strconv.Itoa(f.Line) }

// goroutine is one goroutine of a runtime.Stack(all) dump.
type goroutine struct {
	ID        int64
	State     string // wait reason or "running"/"runnable", as printed between brackets (first part)
	Waiting   string // e.g. "2 minutes", empty when not shown
	Frames    []frame
	CreatedBy frame             // the go statement's function and site; Func empty for goroutine 1
	Creator   int64             // goroutine that ran the go statement, 0 unknown
	Labels    map[string]string // pprof labels (Go 1.26+ dumps with GODEBUG=tracebacklabels=1)
	Raw       string
}

// startFunc is the function the goroutine was started with (its outermost frame).
func (g *goroutine) startFunc() string {
	if len(g.Frames) == 0 {
		return "?"
	}
	return g.Frames[len(g.Frames)-1].Func
}

func (g *goroutine) has(prefix string) bool {
	for _, f := range g.Frames {
		if strings.HasPrefix(f.Func, prefix) {
			return true
		}
	}
	return false
}

// kind classifies the state: "running", "sleeping" or "blocked".
func (g *goroutine) kind() string {
	switch {
	case g.State == "running" || g.State == "runnable" || strings.HasPrefix(g.State, "running") || g.State == "preempted":
		return "running"
	case g.State == "sleep":
		return "sleeping"
	case g.State == "syscall":
		return "in syscall"
	}
	return "blocked"
}

// stacks returns the dump of every goroutine.
func stacks() []byte {
	var out []byte
	withTracebackLabels(func() {
		buf := make([]byte, 1<<20)
		for {
			n := runtime.Stack(buf, true)
			if n < len(buf) {
				out = buf[:n]
				return
			}
			buf = make([]byte, 2*len(buf))
		}
	})
	return out
}

var labelRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)": "((?:[^"\\]|\\.)*)"`)

// cutLabels removes " labels:{...}" from a header's bracket content and parses it.
func cutLabels(s string) (string, map[string]string) {
	k := strings.Index(s, " labels:{")
	if k < 0 {
		return s, nil
	}
	m := map[string]string{}
	for _, kv := range labelRE.FindAllStringSubmatch(s[k:], -1) {
		key, err1 := strconv.Unquote(`"` + kv[1] + `"`)
		val, err2 := strconv.Unquote(`"` + kv[2] + `"`)
		if err1 == nil && err2 == nil {
			m[key] = val
		}
	}
	return s[:k], m
}

// parseDump parses runtime.Stack(buf, true) output.
func parseDump(dump string) []*goroutine {
	var gs []*goroutine
	for _, block := range strings.Split(strings.TrimSpace(dump), "\n\n") {
		lines := strings.Split(block, "\n")
		if len(lines) == 0 || !strings.HasPrefix(lines[0], "goroutine ") {
			continue
		}
		g := &goroutine{Raw: block}
		head := strings.TrimPrefix(lines[0], "goroutine ")
		sp := strings.IndexByte(head, ' ')
		if sp < 0 {
			continue
		}
		g.ID, _ = strconv.ParseInt(head[:sp], 10, 64)
		if lb, rb := strings.IndexByte(head, '['), strings.LastIndexByte(head, ']'); lb >= 0 && rb > lb {
			inner, labels := cutLabels(head[lb+1 : rb])
			g.Labels = labels
			parts := strings.Split(inner, ", ")
			g.State = parts[0]
			for _, p := range parts[1:] {
				if strings.HasSuffix(p, "minutes") || strings.HasSuffix(p, "minute") {
					g.Waiting = p
				}
			}
		}
		for i := 1; i < len(lines); i++ {
			l := lines[i]
			if strings.HasPrefix(l, "\t") || strings.HasPrefix(l, "...") {
				continue
			}
			fr := frame{}
			created := strings.HasPrefix(l, "created by ")
			if created {
				l = strings.TrimPrefix(l, "created by ")
				if k := strings.LastIndex(l, " in goroutine "); k >= 0 {
					g.Creator, _ = strconv.ParseInt(strings.TrimSpace(l[k+len(" in goroutine "):]), 10, 64)
					l = l[:k]
				}
				fr.Func = l
			} else {
				fr.Func = l
				if k := strings.LastIndexByte(l, '('); k > 0 && strings.HasSuffix(l, ")") {
					fr.Func = l[:k]
				}
			}
			if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\t") {
				loc := strings.TrimPrefix(lines[i+1], "\t")
				if k := strings.LastIndex(loc, " +0x"); k >= 0 {
					loc = loc[:k]
				}
				if k := strings.LastIndexByte(loc, ':'); k >= 0 {
					fr.File = loc[:k]
					fr.Line, _ = strconv.Atoi(loc[k+1:])
				}
				i++
			}
			if created {
				g.CreatedBy = fr
			} else {
				g.Frames = append(g.Frames, fr)
			}
		}
		gs = append(gs, g)
	}
	return gs
}

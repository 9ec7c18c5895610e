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
	Labels    map[string]string // pprof labels (from the goroutine profile, see labels.go, or the dump)
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
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

var labelRE = regexp.MustCompile(`("(?:[^"\\]|\\.)*"|[A-Za-z0-9./_]*): ("(?:[^"\\]|\\.)*"|[A-Za-z0-9./_]*)`)

// parseLabels parses `k: v, k2: v2` where keys and values are Go-quoted strings or bare
// [A-Za-z0-9./_]* words (Go 1.26 quotes all; Go 1.27 only when needed).
func parseLabels(s string) map[string]string {
	m := map[string]string{}
	unq := func(x string) string {
		if strings.HasPrefix(x, `"`) {
			if u, err := strconv.Unquote(x); err == nil {
				return u
			}
		}
		return x
	}
	for _, kv := range labelRE.FindAllStringSubmatch(s, -1) {
		m[unq(kv[1])] = unq(kv[2])
	}
	return m
}

// splitHeader splits "goroutine N [state, ...]..." into the bracket content and the
// labels: Go 1.26 prints them inside the brackets (" labels:{...}"), Go 1.27+ after them
// (" {...}").
func splitHeader(head string) (state string, labels map[string]string) {
	lb := strings.IndexByte(head, '[')
	if lb < 0 {
		return "", nil
	}
	rest := head[lb+1:]
	if k := strings.Index(rest, " labels:{"); k >= 0 {
		inner := rest[k+len(" labels:{"):]
		if e := strings.LastIndex(inner, "}]"); e >= 0 {
			inner = inner[:e]
		}
		return rest[:k], parseLabels(inner)
	}
	rb := strings.IndexByte(rest, ']')
	if rb < 0 {
		return rest, nil
	}
	state = rest[:rb]
	after := rest[rb+1:]
	if strings.HasPrefix(after, " {") {
		if e := strings.LastIndexByte(after, '}'); e > 1 {
			labels = parseLabels(after[2:e])
		}
	}
	return state, labels
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
		if inner, labels := splitHeader(head); inner != "" {
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

// Which test a goroutine is blamed on, so that parallel tests never blame each other's leaks.

package trailtest

import "strings"

// blamed returns the test whose check covers goroutines owned by test owner: owner itself
// if it checks, else its nearest checking ancestor test (subtests are named parent/sub).
func blamed(owner string) string {
	mu.Lock()
	defer mu.Unlock()
	for t := owner; t != ""; {
		if checked[t] {
			return t
		}
		k := strings.LastIndexByte(t, '/')
		if k < 0 {
			break
		}
		t = t[:k]
	}
	return owner
}

// ownerOf returns the test that (transitively) started goroutine g, or "": the nearest test
// goroutine or Go goroutine up its creator chain, else (when the chain is broken by an
// exited goroutine) its inherited pprof label LabelKey, if the dump shows labels.
func ownerOf(g *goroutine) string {
	if o := chainOwner(g.ID); o != "" {
		return o
	}
	return g.Labels[LabelKey]
}

func chainOwner(id int64) string {
	mu.Lock()
	defer mu.Unlock()
	cur := id
	for depth := 0; depth < 10000 && cur != 0; depth++ {
		if name, ok := testOf[cur]; ok {
			return name
		}
		cur = creators[cur]
	}
	return ""
}

// A program that makes every kind of traced context and prints, for each, what it knows about
// it itself (trail.ID of the context and of its parent, and its kind), so that a test can
// compare that with the tree ctxtrail rebuilds from the trace.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ctxtrail/testdata/contexts/internal/tracefile"
	"github.com/ctxtrail/ctxtrail/go/trail"
)

type key struct{}

func show(ctx, parent context.Context, kind string) {
	fmt.Printf("%d %d %s\n", trail.ID(ctx), trail.ID(parent), kind)
}

func main() {
	stop := tracefile.Start()
	defer stop()

	root := trail.Background()
	show(root, nil, "background")
	todo := trail.TODO()
	show(todo, nil, "todo")

	req, cancelReq := trail.WithCancel(root)
	show(req, root, "cancel")
	cause, cancelCause := trail.WithCancelCause(req)
	show(cause, req, "cancelcause")
	tmo, cancelTmo := trail.WithTimeout(cause, time.Hour)
	show(tmo, cause, "timeout")
	tmoc, cancelTmoc := trail.WithTimeoutCause(req, time.Hour, errors.New("too slow"))
	show(tmoc, req, "timeoutcause")
	dl, cancelDl := trail.WithDeadline(req, time.Now().Add(time.Hour))
	show(dl, req, "deadline")
	dlc, cancelDlc := trail.WithDeadlineCause(todo, time.Now().Add(time.Hour), errors.New("late"))
	show(dlc, todo, "deadlinecause")
	wo := trail.WithoutCancel(tmo)
	show(wo, tmo, "withoutcancel")
	// A plain context in between: the child's parent is the nearest traced ancestor.
	val := context.WithValue(dl, key{}, "v")
	under, cancelUnder := trail.WithCancel(val)
	show(under, dl, "cancel")

	// The watcher waits on tmo before the cancel: the cancel call wakes it (a cancel wave).
	done, waiting := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		close(waiting)
		<-tmo.Done()
	}()
	<-waiting
	time.Sleep(5 * time.Millisecond)
	cancelCause(errors.New("client went away"))
	<-done
	for _, c := range []context.CancelFunc{cancelUnder, cancelDlc, cancelDl, cancelTmoc, cancelTmo, cancelReq} {
		c()
	}
	time.Sleep(10 * time.Millisecond)
}

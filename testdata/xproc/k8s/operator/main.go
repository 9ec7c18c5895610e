// Command operator is a reconcile that creates a Job's object (a JSON file of annotations)
// with its 1 s deadline and identity, and is superseded after 60 ms: it then writes a cancel
// request on the object, which the Job's process must obey. Planted bug -drop-deadline: the
// annotations are written from trail.WithoutCancel(ctx), which has no deadline.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"time"

	"ctxtrail/testdata/xproc/internal/work"
	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailk8s"
)

func main() {
	tracePath := flag.String("trace", "operator.trace", "execution trace written until exit")
	object := flag.String("object", "", "the JSON file standing in for the Job's object")
	dropDeadline := flag.Bool("drop-deadline", false, "planted bug: annotate from a context without the deadline")
	flag.Parse()
	defer work.Begin("operator", *tracePath)()

	ctx, cancel := trail.WithTimeout(trail.Background(), time.Second)
	defer cancel()
	ctx, supersede := trail.WithCancelCause(ctx)
	time.AfterFunc(60*time.Millisecond, func() { supersede(errors.New("reconcile superseded")) })

	from := ctx
	if *dropDeadline {
		from = trail.WithoutCancel(ctx) // the bug: no deadline on the Job
	}
	if err := work.WriteAnnotations(*object, trailk8s.Propagate(from, "default/report", map[string]string{"app": "report"})); err != nil {
		log.Fatal(err)
	}
	stop := make(chan struct{})
	context.AfterFunc(ctx, func() {
		defer close(stop)
		a, err := work.ReadAnnotations(*object)
		if err == nil {
			err = work.WriteAnnotations(*object, trailk8s.RequestCancel(ctx, a))
		}
		if err != nil {
			log.Print(err)
		}
	})
	<-stop
	time.Sleep(250 * time.Millisecond) // the Job's reaction, or not, happens meanwhile
}

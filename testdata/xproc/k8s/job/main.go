// Command job is the process a Job runs: its work's context comes from its object's
// annotations (a JSON file), re-checked every 5 ms as a watch would; the work is ten 20 ms
// steps, each ended early by the context. Planted bug -ignore-cancel: the steps only sleep.
// Planted bug -slow-watch: the watch hands each change on 50 ms after reading it (a resync
// queue in front of the handler), so the cancel request reaches the context late.
package main

import (
	"context"
	"flag"
	"log"
	"time"

	"ctxtrail/testdata/xproc/internal/work"
	"github.com/ctxtrail/ctxtrail/go/trailk8s"
)

func main() {
	tracePath := flag.String("trace", "job.trace", "execution trace written until exit")
	object := flag.String("object", "", "the JSON file standing in for the Job's object")
	ignoreCancel := flag.Bool("ignore-cancel", false, "planted bug: work on after the cancel request")
	slowWatch := flag.Bool("slow-watch", false, "planted bug: hand each change on 50 ms late")
	flag.Parse()
	defer work.Begin("job", *tracePath)()

	var a map[string]string
	for a == nil {
		var err error
		if a, err = work.ReadAnnotations(*object); err != nil {
			log.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	ctx, w := trailk8s.Derive(context.Background(), "default/report", a)
	defer w.Release()
	go func() { // the watch: every change of the object goes to Update
		for range time.Tick(5 * time.Millisecond) {
			if a, err := work.ReadAnnotations(*object); err == nil {
				if *slowWatch && ctx.Err() == nil && a[trailk8s.AnnotationCancel] != "" {
					time.Sleep(50 * time.Millisecond) // the late hand-over
				}
				w.Update(a)
			}
		}
	}()
	if err := work.Steps(ctx, *ignoreCancel); err != nil {
		log.Printf("job: stopped: %v", err)
		return
	}
	log.Print("job: done")
}

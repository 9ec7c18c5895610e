// Program annotations uses runtime/trace's user annotations: nested tasks (one ending in a
// later generation than it began), regions, WithRegion and logs. Usage: annotations OUT.trace
package main

import (
	"context"
	"os"
	"runtime/trace"
	"sync"
	"time"

	"ctxtrail/testdata/programs/internal/traced"
)

func main() {
	traced.Run(os.Args[1], func() {
		ctx, outer := trace.NewTask(context.Background(), "outer")
		trace.Log(ctx, "phase", "start")
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				cctx, task := trace.NewTask(ctx, "request")
				defer task.End()
				trace.Logf(cctx, "id", "%d", i)
				trace.WithRegion(cctx, "decode", func() { time.Sleep(100 * time.Microsecond) })
				r := trace.StartRegion(cctx, "handle")
				inner := trace.StartRegion(cctx, "db query \"quoted\"")
				time.Sleep(200 * time.Microsecond)
				inner.End()
				r.End()
			}(i)
		}
		wg.Wait()
		// A region on the background task, and a log without a task.
		trace.WithRegion(context.Background(), "background work", func() {})
		trace.Log(context.Background(), "", "message without category\nand a newline")
		// Force a generation boundary while a task is open (FlightRecorder.WriteTo would too;
		// waiting past the 1 s generation period does it here).
		_, long := trace.NewTask(ctx, "spans generations")
		time.Sleep(1100 * time.Millisecond)
		long.End()
		outer.End()
	})
}

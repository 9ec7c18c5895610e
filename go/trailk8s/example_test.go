package trailk8s_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trailk8s"
)

// cluster stands in for the API server: each object's annotations, and the update handlers
// of those watching it (an informer's UpdateFunc).
type cluster struct {
	mu       sync.Mutex
	objects  map[string]map[string]string
	watchers map[string][]func(annotations map[string]string)
}

func (c *cluster) create(name string, annotations map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.objects[name] = annotations
}

func (c *cluster) get(name string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.objects[name]
}

func (c *cluster) watch(name string, onUpdate func(map[string]string)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.watchers[name] = append(c.watchers[name], onUpdate)
}

func (c *cluster) watched(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.watchers[name]) > 0
}

// annotate is a patch of the object's annotations; the watchers see the new ones.
func (c *cluster) annotate(name string, patch func(map[string]string) map[string]string) {
	c.mu.Lock()
	c.objects[name] = patch(c.objects[name])
	a, ws := c.objects[name], c.watchers[name]
	c.mu.Unlock()
	for _, w := range ws {
		w(a)
	}
}

// reconcile starts the backup Job for its request, bounded by the reconcile's deadline, and
// asks the Job to stop when the reconcile's context ends (superseded, timed out, operator
// shutting down): without that, the Job would run on for nobody.
func reconcile(ctx context.Context, c *cluster) (stop func() bool) {
	c.create("backup", trailk8s.Propagate(ctx, "default/backup", map[string]string{"app": "backup"}))
	return context.AfterFunc(ctx, func() {
		c.annotate("backup", func(a map[string]string) map[string]string { return trailk8s.RequestCancel(ctx, a) })
	})
}

// job is the Job's process: its work's context comes from its object's annotations, and every
// change of them is checked again.
func job(c *cluster, stopped chan<- string) {
	ctx, w := trailk8s.Derive(context.Background(), "default/backup", c.get("backup"))
	defer w.Release()
	c.watch("backup", w.Update)
	if _, ok := ctx.Deadline(); ok {
		fmt.Println("job: bounded by the reconcile's deadline")
	}
	select {
	case <-ctx.Done(): // the backup's steps would select on this too
		stopped <- fmt.Sprint("job: stopped: ", context.Cause(ctx))
	case <-time.After(time.Hour):
		stopped <- "job: done"
	}
}

// An operator starts a Job and must stop it when its reconcile's context ends: the reconcile
// writes its deadline and identity on the Job's annotations, then a cancel request with its
// cause; the Job's process derives its context from them and re-checks them on every update.
func Example() {
	c := &cluster{objects: map[string]map[string]string{}, watchers: map[string][]func(map[string]string){}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	ctx, supersede := context.WithCancelCause(ctx)
	defer reconcile(ctx, c)()

	stopped := make(chan string)
	go job(c, stopped)
	for !c.watched("backup") { // wait until the Job watches its object
		time.Sleep(time.Millisecond)
	}
	supersede(errors.New("reconcile superseded by generation 8"))
	fmt.Println(<-stopped)
	// Output:
	// job: bounded by the reconcile's deadline
	// job: stopped: reconcile superseded by generation 8
}

// Package leaky is a fixture: trailtest's own tests run `go test` on it and check the
// output. Its tests fail on purpose.
package leaky

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
	"github.com/ctxtrail/ctxtrail/go/trailtest"
)

func TestMain(m *testing.M) { trailtest.VerifyTestMain(m) }

// aLeaked is closed once TestLeakA's goroutine is running, so that TestCleanB runs and
// checks while A's leaked goroutine exists (it never exits).
var aLeaked = make(chan struct{})
var bDone = make(chan struct{})

func worker(ctx context.Context, ready chan<- struct{}) {
	close(ready)
	<-ctx.Done()
}

func TestLeakA(t *testing.T) {
	trailtest.VerifyNoLeaks(t, trailtest.MaxWait(2*time.Second))
	t.Parallel()
	ctx, cancel := trail.WithCancel(trail.Background()) // LEAK-A-CTX
	_ = cancel                                          // never called
	ready := make(chan struct{})
	go worker(ctx, ready)
	<-ready
	close(aLeaked)
	<-bDone // B checks while our goroutine is alive
}

func TestCleanB(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	t.Parallel()
	<-aLeaked
	ctx, cancel := trail.WithTimeout(trail.Background(), time.Hour)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); <-ctx.Done() }()
	cancel()
	wg.Wait()
	t.Cleanup(func() { close(bDone) }) // lets A finish; A's leaked goroutine stays alive anyway
}

func TestSubtests(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	t.Run("child", func(t *testing.T) {
		ctx, cancel := trail.WithCancelCause(trail.Background())
		cancel(errors.New("subtest done")) // cancelled, but the grandchild ignores it
		started := make(chan struct{})
		trailtest.Go(t, func() {
			inner := make(chan struct{})
			go func() { // grandchild: watches the cancelled ctx, then blocks forever
				<-ctx.Done()
				_ = ctx.Err()
				close(inner)
				select {}
			}()
			<-inner
			close(started)
		})
		<-started
	})
}

func TestWindingDown(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	ctx, cancel := trail.WithCancel(trail.Background())
	go func() {
		<-ctx.Done()
		time.Sleep(300 * time.Millisecond) // still winding down when the check starts
	}()
	cancel()
}

func TestAssertNotCancelled(t *testing.T) {
	parent, cancel := trail.WithCancel(trail.Background()) // ASSERT-PARENT
	defer cancel()
	ctx, cancel2 := trail.WithTimeout(parent, time.Hour) // ASSERT-CTX
	defer cancel2()
	trailtest.AssertContextCancelled(t, ctx, 50*time.Millisecond)
}

func TestAssertCancelled(t *testing.T) {
	ctx, cancel := trail.WithTimeout(trail.Background(), 10*time.Millisecond)
	defer cancel()
	trailtest.AssertContextCancelled(t, ctx, 10*time.Second)
}

// TestIndirect leaks a goroutine whose creator has exited: on Go 1.26+ the inherited pprof
// label still ties it to this test.
func TestIndirect(t *testing.T) {
	trailtest.VerifyNoLeaks(t)
	ctx, cancel := trail.WithCancel(trail.Background())
	defer func() { _ = cancel }()
	ready := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // exits at once
		defer wg.Done()
		go func() { // INDIRECT-LEAK
			close(ready)
			<-ctx.Done()
		}()
	}()
	wg.Wait()
	<-ready
}

// TestGiveUp: a sleeping goroutine may still finish, so the check waits, but only for
// MaxWait, and then says it was sleeping.
func TestGiveUp(t *testing.T) {
	trailtest.VerifyNoLeaks(t, trailtest.MaxWait(200*time.Millisecond))
	go func() { time.Sleep(time.Hour) }()
}

// TestDeferForm: goleak's defer style works too.
func TestDeferForm(t *testing.T) {
	defer trailtest.VerifyNoLeaks(t)
	done := make(chan struct{})
	go func() { close(done) }()
	<-done
}

package foreignparentrelay

import (
	"context"
	"testing"
	"time"
)

// merged is a context of its own type whose Value hides the cancelCtx underneath (as
// failsafe-go's mergedContext does): context.WithCancel on it cannot hang the child off the
// parent's cancelCtx, so it starts propagateCancel's relay goroutine, which waits on the
// parent's Done and cancels the child.
type merged struct{ context.Context }

func (merged) Value(any) any { return nil }

func TestRelayedCancel(t *testing.T) {
	parent, cancelParent := context.WithCancel(context.Background())
	child, cancelChild := context.WithCancel(merged{parent}) // starts the relay; cancels nothing
	defer cancelChild()
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancelParent() // the one cancellation: the relay hands it on at once
	}()
	<-child.Done()
}

package b

import (
	"fmt"
	"time"

	"github.com/ctxtrail/ctxtrail/go/trail"
)

// trail.ID is not a context function: the trail import stays, context is added.
func f() {
	ctx, cancel := trail.WithTimeout(trail.Background(), time.Second) // want `trail.WithTimeout can use context.WithTimeout` `trail.Background can use context.Background`
	defer cancel()
	fmt.Println(trail.ID(ctx))
}

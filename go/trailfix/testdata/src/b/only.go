package b

import (
	"fmt"

	"github.com/ctxtrail/ctxtrail/go/trail"
)

func g() {
	ctx, cancel := trail.WithCancel(trail.TODO()) // want `trail.WithCancel can use context.WithCancel` `trail.TODO can use context.TODO`
	defer cancel()
	fmt.Println(ctx)
}

package a

import "context"

// Nothing else uses context here: the import is replaced.
func g() {
	ctx, cancel := context.WithCancel(context.Background()) // want `context.WithCancel can use trail.WithCancel` `context.Background can use trail.Background`
	defer cancel()
	_ = ctx
}

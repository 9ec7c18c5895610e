package a

import (
	"context" // the constructors
	"errors"
	"os"
)

func m() error {
	ctx, cancel := context.WithTimeout(context.Background(), 0) // want `context.WithTimeout can use trail.WithTimeout` `context.Background can use trail.Background`
	defer cancel()
	_ = ctx
	_, err := os.Stat("x")
	return errors.Join(err)
}

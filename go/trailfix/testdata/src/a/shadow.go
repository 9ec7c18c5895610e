package a

import (
	stdctx "context"
	"strings"
)

// A local variable is called trail: the import gets another name.
func h(trail string) stdctx.Context {
	_ = strings.ToUpper(trail)
	return stdctx.Background() // want `stdctx.Background can use trail2.Background`
}

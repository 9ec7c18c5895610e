module ctxtrail.test/realworld

go 1.26.0

require (
	github.com/ctxtrail/ctxtrail/go v0.0.0
	github.com/hashicorp/golang-lru/v2 v2.0.7
	github.com/jackc/puddle/v2 v2.2.4
	github.com/patrickmn/go-cache v2.1.0+incompatible
	golang.org/x/sync v0.25.0
)

replace github.com/ctxtrail/ctxtrail/go => ../../go

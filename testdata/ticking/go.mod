module ctxtrail.test/ticking

go 1.26

require (
	github.com/hashicorp/golang-lru/v2 v2.0.7
	github.com/patrickmn/go-cache v2.1.0+incompatible
)

module ctxtrail.test/hunggen

go 1.26

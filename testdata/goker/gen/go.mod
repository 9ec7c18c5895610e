module ctxtrail.test/goker

go 1.26

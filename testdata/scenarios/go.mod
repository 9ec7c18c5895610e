module scenarios

go 1.22

require golang.org/x/sync v0.10.0 // indirect

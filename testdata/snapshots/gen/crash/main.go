// Command crash panics in a goroutine while another waits on a channel. Run with
// GOTRACEBACK=system so the dump shows every goroutine, runtime ones too, with the extra
// "gp=... m=..." header fields and "fp=... sp=... pc=..." frame fields.
package main

import "errors"

type job struct{ name string }

func (j *job) run(results chan<- error) {
	results <- errors.New(j.name)
}

func main() {
	results := make(chan error)
	go (&job{name: "first"}).run(results)
	err := <-results
	go func() { <-results }()
	panic(err)
}

// Package main is an HTTP quote service, written as a new user of ctxtrail would write it:
// each request fans out to three backends under one timeout, each call under its own, and a
// background refresher keeps a cache warm. It is written with package context; trailfix
// -fix turns it into package trail for tracing. Built with `-tags planted` it carries four
// context bugs (planted.go), each marked with the rule ctxtrail must report at its line.
package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// A backend answers after its latency, or gives up when its context is done.
type backend struct {
	name    string
	latency time.Duration
}

var backends = []backend{{"ecb", 2 * time.Millisecond}, {"fed", 4 * time.Millisecond}, {"boe", 6 * time.Millisecond}}

func (b backend) quote(ctx context.Context, symbol string) (string, error) {
	select {
	case <-time.After(b.latency):
		return fmt.Sprintf("%s:%s=1.%d", b.name, symbol, len(symbol)), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// fanOut asks every backend at once, each call under its own timeout, and waits for all.
func fanOut(ctx context.Context, symbol string) []string {
	answers := make([]string, len(backends))
	var wg sync.WaitGroup
	for i, b := range backends {
		wg.Add(1)
		go func() {
			defer wg.Done()
			callCtx, cancel := callContext(ctx)
			defer cancel()
			if a, err := b.quote(callCtx, symbol); err == nil {
				answers[i] = a
			}
		}()
	}
	wg.Wait()
	return answers
}

func handleQuote(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 200*time.Millisecond)
	defer cancel()
	symbol := r.URL.Query().Get("symbol")
	afterRequest(ctx, symbol)
	answers := fanOut(ctx, symbol)
	fmt.Fprintln(w, strings.Join(answers, " "), cache.get())
}

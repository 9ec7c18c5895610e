// Clean twin of conn_reader_leak: the session closes its connection when it returns, so the
// reader's Scan fails and the reader returns.
package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"scenarios/internal/tracefile"
)

func readReplies(conn net.Conn, replies chan<- string) {
	sc := bufio.NewScanner(conn)
	for sc.Scan() {
		replies <- sc.Text()
	}
	close(replies)
}

func session(ctx context.Context, addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	replies := make(chan string, 8)
	go readReplies(conn, replies)
	fmt.Fprintln(conn, "SUBSCRIBE")
	for {
		select {
		case r, ok := <-replies:
			if !ok {
				return nil
			}
			fmt.Println(r)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// backend accepts connections and keeps them open without ever replying.
func backend(ln net.Listener) {
	var mu sync.Mutex
	var held []net.Conn
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		mu.Lock()
		held = append(held, c)
		mu.Unlock()
	}
}

func main() {
	stop := tracefile.Start()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go backend(ln)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- session(ctx, ln.Addr().String()) }()
	time.Sleep(150 * time.Millisecond)
	cancel()
	fmt.Println(<-done)
	time.Sleep(1500 * time.Millisecond)
	stop()
}

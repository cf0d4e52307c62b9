package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"testing"

	"beacon/web"

	"golang.org/x/sys/unix"
)

// acceptLog is a listener that keeps the connections it accepts.
type acceptLog struct {
	net.Listener
	conns chan net.Conn
}

func (l acceptLog) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.conns <- c
	}
	return c, err
}

// TestLargeResponsesLeaveWholeAndUncorked serves large answers over a real connection, as
// `beacon serve --http` does: each arrives whole and equal to the handler's, the connection
// carries the next request, and the server's socket is never left corked after an answer
// (a corked socket would hold a later small answer back).
func TestLargeResponsesLeaveWholeAndUncorked(t *testing.T) {
	f := newFixture(t)
	srv, h := f.server(t, web.Config{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted := acceptLog{Listener: l, conns: make(chan net.Conn, 16)}
	hs := srv.HTTPServer()
	go hs.Serve(accepted)
	t.Cleanup(func() { hs.Close() })

	client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
	base := "http://" + l.Addr().String()
	cases := []struct {
		method, path string
		gzip         bool
	}{
		{"GET", "/", false},
		{"GET", "/", true},
		{"HEAD", "/", false},
		{"GET", "/api/v2/summary.json", false},
		{"GET", "/api/v2/summary.json", true},
		{"GET", "/badge.svg", false},
		{"GET", "/", false},
	}
	corkable := 0 // answers of a size the server corks
	for _, c := range cases {
		want := get(h, c.method, c.path)
		if c.method == "GET" && !c.gzip && want.Body.Len() > 4<<10 && want.Body.Len() <= 48<<10 {
			corkable++
		}
		req, _ := http.NewRequest(c.method, base+c.path, nil)
		if c.gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		if c.gzip && resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(body, want.Body.Bytes()) {
			t.Errorf("%s %s (gzip %v): %d bytes, want the handler's %d", c.method, c.path, c.gzip, len(body), want.Body.Len())
		}
		if resp.StatusCode != want.Code {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, resp.StatusCode, want.Code)
		}
	}
	if corkable == 0 {
		t.Fatal("no answer of a size the server corks: the test says nothing")
	}
	if n := len(accepted.conns); n != 1 {
		t.Fatalf("%d connections for %d requests: the connection was not kept", n, len(cases))
	}
	conn := <-accepted.conns
	rc, err := conn.(*net.TCPConn).SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var cork int
	var gerr error
	if err := rc.Control(func(fd uintptr) { cork, gerr = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_CORK) }); err != nil || gerr != nil {
		t.Fatal(err, gerr)
	}
	if cork != 0 {
		t.Fatal("the server's socket is left corked after its answers")
	}
}

package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"beacon/web"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark counts the handler's
// own work for a resource already rendered.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkServeRendered is the handler's cost per request for a rendered resource, plain and
// compressed: what every reader pays after the first.
func BenchmarkServeRendered(b *testing.B) {
	f := newFixture(b)
	_, h := f.server(b, web.Config{})
	for _, enc := range []string{"", "gzip, deflate, br"} {
		name := "plain"
		if enc != "" {
			name = "gzip"
		}
		b.Run(name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/api/v2/summary.json", nil)
			if enc != "" {
				r.Header.Set("Accept-Encoding", enc)
			}
			h.ServeHTTP(&discard{h: http.Header{}}, r)
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(&discard{h: make(http.Header)}, r)
			}
		})
	}
}

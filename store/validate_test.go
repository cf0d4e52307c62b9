package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"beacon/sanitize"
	"beacon/store"
)

func TestValidation(t *testing.T) {
	long := strings.Repeat("é", store.MaxTitleLen+1)
	tests := []struct {
		name    string
		check   func() (string, error)
		want    string
		wantErr string
	}{
		{"name trimmed", func() (string, error) { return store.CleanName("name", "  API  ") }, "API", ""},
		{"name empty", func() (string, error) { return store.CleanName("name", "  ") }, "", "name: is required"},
		{"name too long", func() (string, error) { return store.CleanName("name", strings.Repeat("a", 101)) }, "", "name: is 101 characters; the limit is 100"},
		{"name with escape", func() (string, error) { return store.CleanName("name", "a\x1b[2Jb") }, "", "name: contains control character U+001B"},
		{"title two lines", func() (string, error) { return store.CleanTitle("a\nb") }, "", "title: must be one line"},
		{"title 201 runes", func() (string, error) { return store.CleanTitle(long) }, "", "title: is 201 characters; the limit is 200"},
		{"title bad UTF-8", func() (string, error) { return store.CleanTitle("a\xffb") }, "", "title: is not valid UTF-8 text"},
		{"message keeps newlines and tabs", func() (string, error) { return store.CleanMessage("a\r\n\tb\n") }, "a\n\tb", ""},
		{"message with BEL", func() (string, error) { return store.CleanMessage("a\x07") }, "", "message: contains control character U+0007; only newline and tab are allowed"},
		{"message too long", func() (string, error) { return store.CleanMessage(strings.Repeat("x", 20001)) }, "", "message: is 20001 bytes; the limit is 20000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.check()
			if tt.wantErr != "" {
				var ve *store.ValidationError
				if !errors.As(err, &ve) || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("= %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// FuzzValidation: whatever is accepted is valid UTF-8 within the limits, and a terminal
// sanitiser has nothing left to do with it (beyond a message's newlines and tabs).
func FuzzValidation(f *testing.F) {
	for _, s := range []string{"API", "a\nb", "\x1b]0;x\x07", "\u202e", strings.Repeat("a", 300), "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if name, err := store.CleanName("name", s); err == nil {
			if name == "" || utf8.RuneCountInString(name) > store.MaxNameLen || sanitize.Line(name) != name {
				t.Fatalf("accepted name %q", name)
			}
		}
		if title, err := store.CleanTitle(s); err == nil {
			if utf8.RuneCountInString(title) > store.MaxTitleLen || sanitize.Line(title) != title {
				t.Fatalf("accepted title %q", title)
			}
		}
		if msg, err := store.CleanMessage(s); err == nil {
			if len(msg) > store.MaxMessageLen || sanitize.Text(msg) != msg {
				t.Fatalf("accepted message %q", msg)
			}
		}
	})
}

// TestImpactsOnceEach: an open or an update that names one component twice is refused, so
// which impact holds never depends on their order.
func TestImpactsOnceEach(t *testing.T) {
	st := openTemp(t)
	api := addComponent(t, st, "API")
	twice := []store.SetImpact{{ComponentID: api.ID, Status: store.MajorOutage}, {ComponentID: api.ID, Status: store.PartialOutage}}
	var ve *store.ValidationError
	if _, err := st.OpenIncident(context.Background(), actor, store.NewIncident{Title: "x", Impacts: twice}); !errors.As(err, &ve) {
		t.Errorf("open: %v", err)
	}
	id := open(t, st, "y", store.Public, api.ID, store.PerformanceIssues)
	if _, err := st.PostUpdate(context.Background(), actor, id, store.NewUpdate{Status: store.Identified, Impacts: twice}); !errors.As(err, &ve) {
		t.Errorf("update: %v", err)
	}
}

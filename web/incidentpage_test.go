package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"beacon/publicid"
	"beacon/store"
)

// awkward are strings html/template escapes in every way it has.
var awkward = []string{
	"", "plain", `<b>"Q" & 'A'</b>`, "1+1", "nul\x00byte", "bad \xff utf-8", "\ufdd0\ufdef\ufff0\uffff\ufffd",
	"Ümlauts, café – “quotes”", "\u2028\u2029 line seps", "a{{b}}c", "</title><script>x</script>",
}

// TestWriteHTMLTextMatchesTemplate holds the escaper to html/template's in text and in a
// quoted attribute, the two places the incident page puts text.
func TestWriteHTMLTextMatchesTemplate(t *testing.T) {
	tmpl := template.Must(template.New("t").Parse(`<title>{{.}}</title><p class="x-{{.}}">{{.}}</p>`))
	for _, s := range awkward {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		esc := func() string { b.Reset(); writeHTMLText(&b, s); return b.String() }
		got := "<title>" + esc() + `</title><p class="x-` + esc() + `">` + esc() + "</p>"
		if got != want.String() {
			t.Errorf("%q:\n got %q\nwant %q", s, got, want.String())
		}
	}
}

// TestIncidentPageBytesMatchesTemplate holds the export's incident page to the server's.
func TestIncidentPageBytesMatchesTemplate(t *testing.T) {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, cfg := range []Config{
		{}, {Title: "A+B <Status> & 'co'", BaseURL: "https://status.example.com/st atus+x"},
	} {
		s, err := New(nil, nil, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, title := range awkward {
			for _, resolved := range []bool{false, true} {
				d := store.IncidentDetail{
					Incident: store.Incident{
						ID: 7, Title: title, Status: store.Watching, OccurredAt: at, CreatedAt: at,
						Impacts: []store.Impact{{ComponentName: "API " + title, Status: store.PartialOutage}},
						Lifted:  []store.Impact{{ComponentName: "Auth " + title, Status: store.MajorOutage}},
					},
					Updates: []store.Update{{Status: store.Watching, Message: "Fixed *it* " + title, CreatedAt: at}},
				}
				if resolved {
					d.Status, d.ResolvedAt = store.Fixed, at.Add(time.Hour)
				}
				want, err := s.newView(at).incidentPage(d)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.incidentPageText(d)
				if err != nil {
					t.Fatal(err)
				}
				if got != string(want.Body) {
					t.Errorf("title %q, resolved %v:\n got %s\nwant %s", title, resolved, got, want.Body)
				}
			}
		}
	}
}

// TestIncidentLineMatchesTemplate holds the Go-written line of an incident in the lists to
// the template it replaced, drawn with the site's own functions, for awkward titles, base
// paths that need escaping, and impacts lifted before the fix.
func TestIncidentLineMatchesTemplate(t *testing.T) {
	const line = `{{define "time"}}<time datetime="{{iso .}}">{{when .}}</time>{{end}}` +
		`<li class="incident-line"><a href="{{link (incidentPath .ID)}}">{{.Title}}</a> <span class="impact i-{{impact .}}">{{impactLabel .}}</span> <span class="when">{{template "time" .CreatedAt}}{{if .Resolved}} – {{template "time" .ResolvedAt}}{{end}}</span></li>`
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	for _, base := range []string{"", "https://status.example.com/st atus+x", `https://h.example/a"b'<c>&d%41/é`} {
		s, err := New(nil, nil, Config{BaseURL: base})
		if err != nil {
			t.Fatal(err)
		}
		if s.ids, err = publicid.New(bytes.Repeat([]byte{9}, publicid.KeySize)); err != nil {
			t.Fatal(err)
		}
		tmpl := template.Must(template.New("line").Funcs(s.templateFuncs()).Parse(line))
		for _, title := range awkward {
			for _, resolved := range []bool{false, true} {
				inc := store.Incident{
					ID: 123456, Title: title, Status: store.Watching, OccurredAt: at, CreatedAt: at,
					Impacts: []store.Impact{{ComponentName: "API", Status: store.MajorOutage}},
				}
				if resolved {
					inc.Status, inc.ResolvedAt, inc.Impacts = store.Fixed, at.Add(time.Hour), nil
					inc.Lifted = []store.Impact{{ComponentName: "API", Status: store.PartialOutage}} // its impact is the lifted one's
					inc.Lifted = []store.Impact{{ComponentName: "API", Status: store.PartialOutage}}
				}
				var want strings.Builder
				if err := tmpl.Execute(&want, inc); err != nil {
					t.Fatal(err)
				}
				if got := string(s.incidentLineHTML(inc)); got != want.String() {
					t.Errorf("base %q, title %q, resolved %v:\n got %s\nwant %s", base, title, resolved, got, want.String())
				}
			}
		}
	}
}

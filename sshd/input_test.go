package sshd

import (
	"bytes"
	"io"
	"testing"
	"time"
)

func TestInputHandsOverTypedKeysOneAtATime(t *testing.T) {
	tests := []struct {
		name  string
		typed string
		want  []string
	}{
		{"keys typed ahead", "jjs", []string{"j", "j", "s"}},
		{"multibyte runes", "日本", []string{"日", "本"}},
		{"control keys", "q\r\t", []string{"q", "\r", "\t"}},
		{"an arrow stays whole", "\x1b[A", []string{"\x1b[A"}},
		{"a bracketed paste stays whole", "\x1b[200~down\x1b[201~", []string{"\x1b[200~down\x1b[201~"}},
		{"a split rune waits for the rest", "\xe6\x97", []string{"\xe6\x97"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w := io.Pipe()
			in := newInput(r)
			defer in.close()
			go func() { w.Write([]byte(tt.typed)); w.Close() }()
			var got []string
			buf := make([]byte, 256)
			for {
				n, err := in.Read(buf)
				if n > 0 {
					got = append(got, string(buf[:n]))
				}
				if err != nil {
					break
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("reads %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("reads %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestQueryBackground(t *testing.T) {
	tests := []struct {
		name      string
		answer    string // what the terminal sends after the query
		dark      bool
		known     bool
		keptInput string // what Read returns afterwards
	}{
		{name: "dark, BEL", answer: "\x1b]11;rgb:1e1e/1e1e/2e2e\x07\x1b[?62;22c", dark: true, known: true},
		{name: "light, ST, with a key typed first", answer: "q\x1b]11;rgb:ffff/fefe/f0f0\x1b\\\x1b[?1;2c", known: true, keptInput: "q"},
		{name: "two hex digits", answer: "\x1b]11;rgb:00/00/00\x07\x1b[?6c", dark: true, known: true},
		{name: "no colour answer", answer: "\x1b[?62c", keptInput: ""},
		{name: "garbled colour", answer: "\x1b]11;rgb:zz/00/00\x07\x1b[?62c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w := io.Pipe()
			in := newInput(r)
			defer in.close()
			var asked bytes.Buffer
			go w.Write([]byte(tt.answer))
			dark, known := in.queryBackground(&asked, time.Second)
			if asked.String() != backgroundQuery {
				t.Errorf("asked %q", asked.String())
			}
			if dark != tt.dark || known != tt.known {
				t.Errorf("dark %v known %v, want %v %v", dark, known, tt.dark, tt.known)
			}
			w.Write([]byte("x"))
			want := tt.keptInput + "x"
			var got []byte
			buf := make([]byte, 16)
			for len(got) < len(want) {
				n, _ := in.Read(buf)
				got = append(got, buf[:n]...)
			}
			if string(got) != want {
				t.Errorf("input after the query %q, want %q", got, want)
			}
		})
	}
}

func TestQueryBackgroundGivesUpOnASilentTerminal(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	in := newInput(r)
	defer in.close()
	start := time.Now()
	if _, known := in.queryBackground(io.Discard, 50*time.Millisecond); known {
		t.Fatal("a silent terminal told its background")
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("waited %s for a silent terminal", d)
	}
	go w.Write([]byte("k"))
	buf := make([]byte, 4)
	if n, _ := in.Read(buf); string(buf[:n]) != "k" {
		t.Fatalf("the first key after a silent query was %q", buf[:n])
	}
}

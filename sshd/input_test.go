package sshd

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"beacon/theme"
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
			if asked.String() != theme.BackgroundQuery {
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

func TestFramer(t *testing.T) {
	long := strings.Repeat("é", maxPaste) // two bytes a rune: cut in the middle of none
	tests := []struct {
		name  string
		reads []string
		want  []string
	}{
		{"keys pass through", []string{"jj", "\x1b[A"}, []string{"jj", "\x1b[A"}},
		{"a paste split across reads comes whole", []string{"x\x1b[200~one ", "two", " three\x1b[201~y"},
			[]string{"x", "\x1b[200~one two three\x1b[201~", "y"}},
		{"markers split across reads", []string{"\x1b[20", "0~pa", "ste\x1b[2", "01~"}, []string{"\x1b[200~paste\x1b[201~"}},
		{"a lone escape is not held back", []string{"\x1b"}, []string{"\x1b"}},
		{"a paste is cut at maxPaste, on a rune's start", []string{"\x1b[200~" + long + "\x1b[201~"},
			[]string{"\x1b[200~" + long[:maxPaste] + "\x1b[201~"}},
		{"a paste of three-byte runes is cut before a split rune", []string{"\x1b[200~" + strings.Repeat("日", maxPaste) + "\x1b[201~"},
			[]string{"\x1b[200~" + strings.Repeat("日", maxPaste/3) + "\x1b[201~"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := time.Now()
			f := framer{budget: floodBurst, at: now}
			var got []string
			for _, r := range tt.reads {
				out, ok := f.feed([]byte(r), now)
				if !ok {
					t.Fatal("flooded")
				}
				for _, b := range out {
					got = append(got, string(b))
				}
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Fatalf("handed over %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFramerBudget(t *testing.T) {
	now := time.Now()
	f := framer{budget: floodBurst, at: now}
	if _, ok := f.feed(bytes.Repeat([]byte("j"), floodBurst), now); !ok {
		t.Fatal("a burst within the budget is a flood")
	}
	if _, ok := f.feed([]byte("j"), now); ok {
		t.Fatal("a key beyond the budget is not a flood")
	}
	f = framer{budget: 0, at: now}
	if _, ok := f.feed([]byte("jjj"), now.Add(time.Second)); !ok {
		t.Fatal("the budget is not refilled over time")
	}
	f = framer{budget: floodBurst, at: now}
	for range floodBurst / pasteCost {
		f.feed([]byte("\x1b[200~x\x1b[201~"), now)
	}
	if _, ok := f.feed([]byte("\x1b[200~x\x1b[201~"), now); ok {
		t.Fatal("pastes spend nothing from the budget")
	}
}

// BenchmarkFramerMegabytePaste: the pump's cost for a 1 MB bracketed paste read in 32 KB reads.
func BenchmarkFramerMegabytePaste(b *testing.B) {
	paste := []byte("\x1b[200~" + strings.Repeat("a", 1<<20) + "\x1b[201~")
	b.SetBytes(int64(len(paste)))
	for b.Loop() {
		now := time.Now()
		f := framer{budget: floodBurst, at: now}
		for p := paste; len(p) > 0; {
			n := min(len(p), 32<<10)
			if _, ok := f.feed(p[:n], now); !ok {
				b.Fatal("flooded")
			}
			p = p[n:]
		}
	}
}

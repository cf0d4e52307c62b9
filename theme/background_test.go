package theme

import (
	"testing"
)

func TestKnownBackground(t *testing.T) {
	tests := []struct {
		name        string
		choice      string
		env         map[string]string
		dark, known bool
		wantErr     bool
	}{
		{name: "nothing says", known: false},
		{name: "flag light", choice: "light", known: true},
		{name: "flag dark beats the environment", choice: "Dark", env: map[string]string{"BEACON_THEME": "light", "COLORFGBG": "0;15"}, dark: true, known: true},
		{name: "BEACON_THEME beats COLORFGBG", env: map[string]string{"BEACON_THEME": "light", "COLORFGBG": "15;0"}, known: true},
		{name: "COLORFGBG dark", env: map[string]string{"COLORFGBG": "15;0"}, dark: true, known: true},
		{name: "COLORFGBG light", env: map[string]string{"COLORFGBG": "0;15"}, known: true},
		{name: "COLORFGBG light grey", env: map[string]string{"COLORFGBG": "0;7"}, known: true},
		{name: "COLORFGBG dark grey", env: map[string]string{"COLORFGBG": "15;8"}, dark: true, known: true},
		{name: "COLORFGBG with default", env: map[string]string{"COLORFGBG": "15;default;0"}, dark: true, known: true},
		{name: "COLORFGBG unreadable", env: map[string]string{"COLORFGBG": "default"}},
		{name: "bad flag", choice: "solarized", wantErr: true},
		{name: "bad BEACON_THEME", env: map[string]string{"BEACON_THEME": "blue"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dark, known, err := KnownBackground(tt.choice, func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("err %v, want error %v", err, tt.wantErr)
			}
			if dark != tt.dark || known != tt.known {
				t.Errorf("dark %v known %v, want %v %v", dark, known, tt.dark, tt.known)
			}
		})
	}
}

func TestReadAnswer(t *testing.T) {
	tests := []struct {
		name        string
		got         string
		dark, known bool
		rest        string
	}{
		{name: "dark, BEL", got: "\x1b]11;rgb:1e1e/1e1e/2e2e\x07\x1b[?62;22c", dark: true, known: true},
		{name: "light, ST, a key typed first", got: "q\x1b]11;rgb:ffff/fefe/f0f0\x1b\\\x1b[?1;2c", known: true, rest: "q"},
		{name: "tmux, window-style white", got: "\x1b]11;rgb:c0c0/c0c0/c0c0\a\x1b[?1;2c", known: true},
		{name: "two hex digits", got: "\x1b]11;rgb:00/00/00\x07\x1b[?6c", dark: true, known: true},
		{name: "no colour answer", got: "\x1b[?62c"},
		{name: "garbled colour", got: "\x1b]11;rgb:zz/00/00\x07\x1b[?62c"},
		{name: "nothing", got: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dark, known, rest := ReadAnswer([]byte(tt.got))
			if dark != tt.dark || known != tt.known || string(rest) != tt.rest {
				t.Errorf("dark %v known %v rest %q, want %v %v %q", dark, known, rest, tt.dark, tt.known, tt.rest)
			}
			if Answered([]byte(tt.got)) != (tt.got != "") {
				t.Errorf("Answered is %v", !(tt.got != ""))
			}
		})
	}
}

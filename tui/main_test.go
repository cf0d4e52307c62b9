package tui

import (
	"os"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	time.Local = time.UTC // views show local time; golden files need one zone
	os.Exit(m.Run())
}

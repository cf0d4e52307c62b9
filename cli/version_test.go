package cli

import (
	"runtime/debug"
	"testing"
)

func TestVersion(t *testing.T) {
	vcs := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	const rev = "13211696aa0f6cf29a30944e9ddf55b8b3159e2a"
	for _, tt := range []struct {
		name     string
		module   string
		settings []debug.BuildSetting
		named    string // the commit named at link time
		want     string
	}{
		{"installed as a module", "v1.4.0", vcs("vcs.revision", rev), "", "v1.4.0"},
		{"a checkout", "(devel)", vcs("vcs.revision", rev, "vcs.time", "2026-11-30T13:02:12Z", "vcs.modified", "false"), "", "devel 13211696aa0f (2026-11-30T13:02:12Z)"},
		{"a modified checkout", "(devel)", vcs("vcs.revision", rev, "vcs.time", "2026-11-30T13:02:12Z", "vcs.modified", "true"), "", "devel 13211696aa0f (2026-11-30T13:02:12Z, modified)"},
		{"built without version control", "(devel)", nil, "", "devel"},
		{"go run", "", nil, "", "devel"},
		{"a worktree, the commit named at link time", "(devel)", nil, rev, "devel 13211696aa0f"},
		{"what Go recorded wins over a name", "(devel)", vcs("vcs.revision", "aaaaaaaaaaaaaaaa"), rev, "devel aaaaaaaaaaaa"},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Path: "beacon", Version: tt.module}, Settings: tt.settings}
		if got := version(info, tt.named); got != tt.want {
			t.Errorf("%s: version = %q, want %q", tt.name, got, tt.want)
		}
	}
}

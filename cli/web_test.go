package cli_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// siteMarker is written into an internal incident; the browser must never show it.
const siteMarker = "ZZINTERNALZZ"

// serveSite starts `beacon serve --http 127.0.0.1:0` on the database and returns its address;
// the server is stopped when the test ends.
func serveSite(t testing.TB, d *db, args ...string) string {
	t.Helper()
	base, _ := serveSiteProcess(t, d, args...)
	return base
}

// serveSiteProcess is serveSite, and the server's process.
func serveSiteProcess(t testing.TB, d *db, args ...string) (string, *os.Process) {
	t.Helper()
	cmd := exec.Command(beaconBin, append([]string{"--db", d.path, "serve", "--http", "127.0.0.1:0"}, args...)...)
	cmd.Env = cleanEnv()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Error("beacon serve did not stop within 10 s of SIGINT")
		}
	})
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`serving the status site http=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case a := <-addr:
		return "http://" + a, cmd.Process
	case <-time.After(60 * time.Second):
		t.Fatal("beacon serve --http never said where it listens")
	}
	return "", nil
}

func TestServeHTTP(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "Secret "+siteMarker, "--component", "Postgres=major_outage", "--message", siteMarker, "--internal")
	base := serveSite(t, d)
	for path, want := range map[string]int{"/": 200, "/api/v2/summary.json": 200, "/healthz": 200, "/incidents/1": 404, "/nothing": 404} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || strings.Contains(string(body), siteMarker) {
			t.Errorf("%s: %d, want %d (or shows the internal incident)", path, resp.StatusCode, want)
		}
	}
	if r := d.run("serve", "--base-url", "https://x.example"); r.code != 2 || !strings.Contains(r.stderr, "--http") {
		t.Errorf("--base-url without --http: %v", r)
	}
	for _, bad := range []struct{ flag, value, says string }{
		{"--base-url", "ftp://x", "base URL"},
		{"--base-url", "https://x.example/status?x=1", "no user, query or fragment"},
		{"--http", "nonsense", "like 127.0.0.1:8080"},
		{"--http", ":99999", "no such port"},
	} {
		args := []string{"serve", "--http", "127.0.0.1:0", bad.flag, bad.value}
		if r := d.run(args...); r.code != 2 || !strings.Contains(r.stderr, bad.says) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("%s %q: %v", bad.flag, bad.value, r)
		}
		// Refused before anything is made: no database is left where there was none.
		fresh := &db{t: t, path: filepath.Join(t.TempDir(), "new.db")}
		if r := fresh.run(args...); r.code != 2 {
			t.Errorf("%s %q on a new database: %v", bad.flag, bad.value, r)
		}
		if left, _ := filepath.Glob(fresh.path + "*"); len(left) > 0 {
			t.Errorf("%s %q left %v behind", bad.flag, bad.value, left)
		}
	}
}

func TestExportCommand(t *testing.T) {
	d := fixture(t)
	d.must("incident", "open", "--title", "Checkout errors", "--component", "API=major_outage", "--message", "Looking.")
	dir := filepath.Join(t.TempDir(), "site")
	out := d.must("export", dir, "--base-url", "https://status.example.com", "--exec", `test -f "$BEACON_EXPORT_DIR/index.html" && echo synced`)
	if !strings.Contains(out, "Exported") || !strings.Contains(out, "synced") {
		t.Errorf("export said:\n%s", out)
	}
	for _, f := range []string{"index.html", "history.html", "api/v2/summary.json", "history.atom", "badge.svg", "404.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The incident's page is named by its public id, never its number.
	pages, err := filepath.Glob(filepath.Join(dir, "incidents", "*.html"))
	if err != nil || len(pages) != 1 || !regexp.MustCompile(`^[0-9a-z]{12}\.html$`).MatchString(filepath.Base(pages[0])) {
		t.Errorf("incident pages %v (%v); want one named by a public id", pages, err)
	}
	// Again over the same data: the pages are the last export's, linked rather than drawn.
	if out := d.must("export", dir, "--base-url", "https://status.example.com"); !strings.Contains(out, "unchanged since the last export") {
		t.Errorf("a second export said:\n%s", out)
	}
	if r := d.run("export", dir, "--exec", "exit 3"); r.code != 1 || !strings.Contains(r.stderr, "--exec") {
		t.Errorf("a failing --exec: %v", r)
	}
	if r := d.run("export"); r.code != 2 {
		t.Errorf("no directory: %v", r)
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if r := d.run("export", file); r.code != 2 || !strings.Contains(r.stderr, "is a file") {
		t.Errorf("a file for a directory: %v", r)
	}
	// A directory holding anything but an earlier export is refused and left as it was.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("important"), 0o644)
	os.Mkdir(filepath.Join(other, "sub"), 0o755)
	r := d.run("export", other)
	if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, "holds files that are not a Beacon export (notes.txt, sub/)") ||
		!strings.Contains(r.stderr, "new or empty directory") {
		t.Errorf("a directory of other files: %v", r)
	}
	if data, err := os.ReadFile(filepath.Join(other, "notes.txt")); err != nil || string(data) != "important" {
		t.Errorf("the refused directory lost its files: %q, %v", data, err)
	}
	empty := t.TempDir()
	d.must("export", empty)
	// Missing parents are made; a place that takes no new directory is named, not the export's
	// temporary one beside it.
	deep := filepath.Join(t.TempDir(), "public", "status", "site")
	d.must("export", deep)
	if _, err := os.Stat(filepath.Join(deep, "index.html")); err != nil {
		t.Errorf("export into new parents: %v", err)
	}
	if runtime.GOOS == "linux" {
		if r := d.run("export", "/proc/beacon-site"); r.code != 1 || !strings.Contains(r.stderr, "cannot write in /proc") || strings.Contains(r.stderr, ".new-") {
			t.Errorf("export into /proc: %v", r)
		}
	}
	// A link to a directory exports where it points, and stays a link.
	real, link := t.TempDir(), filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	for _, arg := range []string{link, link + "/"} { // completion adds the slash
		d.must("export", arg)
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("export %s replaced the link (%v)", arg, err)
		}
	}
	if _, err := os.Stat(filepath.Join(real, "index.html")); err != nil {
		t.Errorf("nothing exported where the link points: %v", err)
	}
}

// browser starts headless Chromium for a test, or skips it when Chromium is missing.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no chromium on this machine (.ci/run installs it)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// recordCSP makes every page the tab opens keep its Content-Security-Policy violations in
// window.cspViolations.
func recordCSP(ctx context.Context, t *testing.T) {
	t.Helper()
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});`})
	if err != nil {
		t.Fatal(err)
	}
}

func viewport(ctx context.Context, t *testing.T, width int64) {
	t.Helper()
	_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: 900, DeviceScaleFactor: 1, Mobile: width < 500,
	})
	if err != nil {
		t.Fatal(err)
	}
}

func screenshot(ctx context.Context, t *testing.T, width int64, name string) {
	t.Helper()
	viewport(ctx, t, width)
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{t.TempDir(), os.Getenv("BEACON_SCREENSHOTS")} {
		if dir == "" {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", filepath.Join(dir, name))
	}
}

func eval[T any](ctx context.Context, t *testing.T, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitText waits until the JavaScript expression js yields a string containing want.
func waitText(ctx context.Context, t *testing.T, js, want string) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(30 * time.Second)
	for {
		got := eval[string](ctx, t, js)
		if strings.Contains(got, want) {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never held %q; it holds:\n%s", js, want, got)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

const websiteRow = `Array.from(document.querySelectorAll(".component")).map(function (li) { return li.textContent.replace(/\s+/g, " "); }).filter(function (s) { return s.indexOf("Website") >= 0; }).join("|")`

func TestStatusSiteInBrowser(t *testing.T) {
	ctx := browser(t)
	d := fixture(t)
	d.must("incident", "open", "--title", "Checkout errors", "--component", "API=major_outage", "--message", "We are **investigating**.")
	d.must("incident", "open", "--title", "Secret "+siteMarker, "--component", "Postgres=major_outage", "--message", siteMarker, "--internal")
	base := serveSite(t, d, "--title", "Example status")

	recordCSP(ctx, t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(".banner"))); err != nil {
		t.Fatal(err)
	}
	body, banner := text(ctx, t, "body"), text(ctx, t, ".banner")
	eval[bool](ctx, t, `window.notReloaded = true`)
	for _, want := range []string{"Example status", "API", "Website", "Data", "Major outage", "Checkout errors", "investigating"} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(banner, "Some systems are experiencing") || strings.Contains(body, siteMarker) {
		t.Errorf("banner %q; internal shown: %v", banner, strings.Contains(body, siteMarker))
	}
	waitText(ctx, t, websiteRow, "Operational")
	screenshot(ctx, t, 1280, "status-1280.png")
	screenshot(ctx, t, 375, "status-375.png")
	viewport(ctx, t, 320)
	if eval[bool](ctx, t, `document.documentElement.scrollWidth > document.documentElement.clientWidth`) {
		t.Error("the page is wider than a 320 px screen")
	}

	// A change made with the command line shows in the open page without a reload.
	d.must("component", "set", "Website", "partial_outage")
	took := waitText(ctx, t, websiteRow, "Partial outage")
	t.Logf("the change reached the open page in %v", took)
	if !eval[bool](ctx, t, `window.notReloaded === true`) {
		t.Error("the page was reloaded to show the change")
	}
	if v := eval[[]string](ctx, t, `window.cspViolations`); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", v)
	}

	// The policy is enforced: an inline style is refused and reported.
	eval[bool](ctx, t, `var s = document.createElement("style"); s.textContent = "body{}"; document.head.appendChild(s); true`)
	waitText(ctx, t, `window.cspViolations.join(",")`, "style-src")

	// With JavaScript off, everything is still there.
	nojs, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if _, err := chromedp.Call(nojs, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(nojs, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(".banner"))); err != nil {
		t.Fatal(err)
	}
	plain := text(nojs, t, "main")
	for _, want := range []string{"API", "Website", "Partial outage", "Checkout errors", "Past incidents"} {
		if !strings.Contains(plain, want) {
			t.Errorf("without JavaScript the page lacks %q", want)
		}
	}
	link := eval[string](ctx, t, `Array.from(document.querySelectorAll("a")).filter(function (a) { return a.textContent === "Checkout errors"; }).map(function (a) { return a.getAttribute("href"); })[0] || ""`)
	if !regexp.MustCompile(`^/incidents/[0-9a-z]{12}$`).MatchString(link) {
		t.Fatalf("the incident's link is %q; want /incidents/ and its public id", link)
	}
	if err := chromedp.Do(nojs, chromedp.Navigate(base+link), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	if incident := text(nojs, t, "main"); !strings.Contains(incident, "Checkout errors") || !strings.Contains(incident, "investigating") {
		t.Errorf("the incident page without JavaScript:\n%s", incident)
	}
}

func TestExportWatch(t *testing.T) {
	d := fixture(t)
	dir := filepath.Join(t.TempDir(), "site")
	cmd := exec.Command(beaconBin, "--db", d.path, "export", dir, "--watch", "--base-url", "https://status.example.com")
	cmd.Env = cleanEnv()
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errOut, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	t.Cleanup(func() { // a failed check must not leave the watcher running
		if !stopped {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	skipped := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(errOut)
		for sc.Scan() {
			skipped <- sc.Text()
		}
	}()
	exports := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			exports <- sc.Text()
		}
		close(exports)
	}()
	next := func() {
		t.Helper()
		select {
		case line := <-exports:
			if !strings.HasPrefix(line, "Exported") {
				t.Fatalf("export --watch said %q", line)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("no export within 60 s")
		}
	}
	next()
	// A change readers cannot see exports nothing (and would run no --exec).
	d.must("incident", "open", "--title", "Quiet", "--message", "Internal.", "--internal", "--component", "Postgres=major_outage")
	select {
	case line := <-skipped:
		if !strings.Contains(line, "nothing exported") {
			t.Fatalf("export --watch said %q on stderr", line)
		}
	case line := <-exports:
		t.Fatalf("an internal change was exported: %q", line)
	case <-time.After(60 * time.Second):
		t.Fatal("the internal change was not handled within 60 s")
	}
	d.must("component", "set", "Website", "major_outage")
	next()
	body, err := os.ReadFile(filepath.Join(dir, "api", "v2", "components.json"))
	if err != nil || !strings.Contains(string(body), `"major_outage"`) {
		t.Errorf("the second export does not hold the change (%v)", err)
	}
	cmd.Process.Signal(os.Interrupt)
	stopped = true
	if err := cmd.Wait(); err != nil {
		t.Errorf("export --watch after SIGINT: %v", err)
	}
}

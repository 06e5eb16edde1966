package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/testdist"
)

// gover doctor --format prometheus --output FILE, read by the real parts:
// promtool's parser and linter accept the file, and a real node_exporter
// whose textfile collector watches FILE's folder serves gover's series —
// a failing install-integrity and the toolchain it found changed, then,
// after the fix, both healthy, without restarting anything.
func TestDoctorPrometheusNodeExporter(t *testing.T) {
	promtool := aptTool(t, "promtool", "prometheus")
	exporter := aptTool(t, "prometheus-node-exporter", "prometheus-node-exporter")
	d, err := testdist.Start(testdist.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	root, home, textfiles := t.TempDir(), t.TempDir(), t.TempDir()
	env := append(d.Env(),
		"GOVER_ROOT="+root, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"), "GOVER_RETRY_DELAY=1ms")
	gover := func(args ...string) (stdout string, code int) {
		t.Helper()
		cmd := exec.Command(filepath.Join(binDir, "gover"+exe()), args...)
		cmd.Dir, cmd.Env = home, env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			code = ee.ExitCode()
		case err != nil:
			t.Fatalf("gover %s: %v", strings.Join(args, " "), err)
		}
		t.Logf("gover %s: exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
		return out.String(), code
	}
	for _, v := range []string{"1.22.5", "1.21.13"} {
		if _, code := gover("install", v); code != 0 {
			t.Fatalf("gover install %s: exit %d", v, code)
		}
	}
	// A file changed inside go1.21.13 after it was installed.
	if err := os.WriteFile(filepath.Join(root, "versions", "go1.21.13", "VERSION"), []byte("go1.21.13 patched\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prom := filepath.Join(textfiles, "gover.prom")
	stdout, code := gover("doctor", "--format", "prometheus", "--output", prom)
	if code != 1 || stdout != "" {
		t.Fatalf("gover doctor --output with a failing check: exit %d, stdout %q; want exit 1 and nothing on stdout", code, stdout)
	}
	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = bytes.NewReader(readFile(t, prom))
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics %s: %v\n%s", prom, err, out)
	}
	entries, _ := os.ReadDir(textfiles)
	if len(entries) != 1 {
		t.Errorf("the textfile folder holds %d files, want gover.prom alone (no temporary file left)", len(entries))
	}

	// node_exporter with only the textfile collector, on loopback.
	addr := freeLoopbackAddr(t)
	ne := exec.Command(exporter, "--web.listen-address="+addr, "--collector.disable-defaults",
		"--collector.textfile", "--collector.textfile.directory="+textfiles)
	var neLog bytes.Buffer
	ne.Stdout, ne.Stderr = &neLog, &neLog
	if err := ne.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		ne.Process.Kill()
		ne.Wait()
		if t.Failed() {
			t.Logf("node_exporter:\n%s", neLog.String())
		}
	}()
	platform := runtime.GOOS + "-" + runtime.GOARCH
	scrape(t, addr, []string{
		"node_textfile_scrape_error 0",
		`gover_doctor_check_status{check="install-integrity",group="gover",status="fail"} 1`,
		`gover_doctor_check_status{check="install-integrity",group="gover",status="ok"} 0`,
		`gover_doctor_toolchain_installed{platform="` + platform + `",source="official",verified="true",version="go1.22.5"} 1`,
		`gover_doctor_toolchain_installed{platform="` + platform + `",source="official",verified="false",version="go1.21.13"} 1`,
		`gover_doctor_check_duration_seconds{check="install-integrity",group="gover"} `,
		"gover_doctor_last_run_timestamp_seconds ",
	})

	// The fix the doctor names, then the next run: the collector reads the
	// new file whole.
	gover("install", "--force", "1.21.13")
	gover("doctor", "--format", "prometheus", "--output", prom)
	scrape(t, addr, []string{
		"node_textfile_scrape_error 0",
		`gover_doctor_check_status{check="install-integrity",group="gover",status="ok"} 1`,
		`gover_doctor_toolchain_installed{platform="` + platform + `",source="official",verified="true",version="go1.21.13"} 1`,
	})
}

// scrape fetches node_exporter's /metrics at addr until it answers (it
// may still be starting), and checks that it serves every line in want.
func scrape(t *testing.T, addr string, want []string) {
	t.Helper()
	var body string
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
			if resp.StatusCode == http.StatusOK {
				break
			}
			err = fmt.Errorf("%s", resp.Status)
		}
		if time.Now().After(deadline) {
			t.Fatalf("node_exporter on %s: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, line := range want {
		if !strings.Contains(body, line) {
			t.Errorf("node_exporter does not serve %q; its gover series:\n%s", line, grepLines(body, "gover_"))
		}
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// freeLoopbackAddr is a loopback address with a port nobody listens on.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// aptTool finds a program a Debian package installs. Without it the test
// is skipped, unless GOVER_TEST_APT=1 (CI sets it and installs the
// package): then it fails.
func aptTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("GOVER_TEST_APT") == "1" {
		t.Fatalf("GOVER_TEST_APT=1 but %s is not installed (apt-get install %s): %v", name, pkg, err)
	}
	t.Skipf("%s is not installed (apt-get install %s; GOVER_TEST_APT=1 makes this a failure)", name, pkg)
	return ""
}

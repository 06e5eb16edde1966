package doctor_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/doctor"
)

// The exposition format, byte for byte: every status a series of its own,
// durations in seconds, label values escaped (a platform backend's check
// id, an install record's source), no sample timestamps.
func TestWritePrometheus(t *testing.T) {
	r := doctor.Report{
		Checks: []doctor.Result{
			{ID: "goproxy", Group: doctor.GroupNetwork, Status: doctor.Fail, ElapsedMS: 2003},
			{ID: `odd"id\` + "\nx", Group: doctor.GroupGover, Status: doctor.OK, ElapsedMS: 7},
			{ID: "baseline", Group: doctor.GroupBaseline, Status: doctor.Warn},
		},
		Drift:      []doctor.Drift{{What: "GOPROXY"}, {What: "toolchain go1.22.5"}},
		At:         time.Unix(1764700000, 250e6),
		Toolchains: []doctor.Toolchain{{Version: "go1.22.5", Platform: "linux-amd64", Source: "official", Verified: "true"}, {Version: "go1.21.13", Platform: "windows-amd64", Source: `a"b`, Verified: "unchecked"}},
	}
	var b bytes.Buffer
	if err := doctor.WritePrometheus(&b, r); err != nil {
		t.Fatal(err)
	}
	want := `# HELP gover_doctor_check_status Whether a gover doctor check ended with this status (1) or not (0); one series per status: ok, warn, fail, skip.
# TYPE gover_doctor_check_status gauge
gover_doctor_check_status{check="goproxy",group="network",status="ok"} 0
gover_doctor_check_status{check="goproxy",group="network",status="warn"} 0
gover_doctor_check_status{check="goproxy",group="network",status="fail"} 1
gover_doctor_check_status{check="goproxy",group="network",status="skip"} 0
gover_doctor_check_status{check="odd\"id\\\nx",group="gover",status="ok"} 1
gover_doctor_check_status{check="odd\"id\\\nx",group="gover",status="warn"} 0
gover_doctor_check_status{check="odd\"id\\\nx",group="gover",status="fail"} 0
gover_doctor_check_status{check="odd\"id\\\nx",group="gover",status="skip"} 0
gover_doctor_check_status{check="baseline",group="baseline",status="ok"} 0
gover_doctor_check_status{check="baseline",group="baseline",status="warn"} 1
gover_doctor_check_status{check="baseline",group="baseline",status="fail"} 0
gover_doctor_check_status{check="baseline",group="baseline",status="skip"} 0
# HELP gover_doctor_check_duration_seconds How long a gover doctor check took.
# TYPE gover_doctor_check_duration_seconds gauge
gover_doctor_check_duration_seconds{check="goproxy",group="network"} 2.003
gover_doctor_check_duration_seconds{check="odd\"id\\\nx",group="gover"} 0.007
gover_doctor_check_duration_seconds{check="baseline",group="baseline"} 0.000
# HELP gover_doctor_toolchain_installed A Go toolchain installed by gover (always 1): its version, platform, source, and whether this run's install-integrity found its files as installed (true, false, unchecked).
# TYPE gover_doctor_toolchain_installed gauge
gover_doctor_toolchain_installed{version="go1.22.5",platform="linux-amd64",source="official",verified="true"} 1
gover_doctor_toolchain_installed{version="go1.21.13",platform="windows-amd64",source="a\"b",verified="unchecked"} 1
# HELP gover_doctor_baseline_drift How many things drifted since the baseline gover doctor --baseline compared with.
# TYPE gover_doctor_baseline_drift gauge
gover_doctor_baseline_drift 2
# HELP gover_doctor_last_run_timestamp_seconds When this gover doctor run started, in seconds since the Unix epoch.
# TYPE gover_doctor_last_run_timestamp_seconds gauge
gover_doctor_last_run_timestamp_seconds 1764700000.250
`
	if got := b.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	promtoolCheck(t, b.Bytes())

	// Without a baseline there is no drift to count: no series, rather than a 0 that says "none".
	r.Checks, r.Drift = r.Checks[:2], nil
	b.Reset()
	if err := doctor.WritePrometheus(&b, r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "gover_doctor_baseline_drift") {
		t.Errorf("drift without a baseline:\n%s", b.String())
	}
	promtoolCheck(t, b.Bytes())
}

// promtoolCheck runs 'promtool check metrics' (Debian's prometheus) on
// metrics: the format's parser and linter.
func promtoolCheck(t *testing.T, metrics []byte) {
	t.Helper()
	promtool := aptTool(t, "promtool", "prometheus")
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(metrics)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s\non:\n%s", err, out, metrics)
	}
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

// The alert rules docs/doctor.md gives are valid (promtool check rules),
// and fire on the series WritePrometheus writes (promtool test rules).
func TestDocAlertRules(t *testing.T) {
	promtool := aptTool(t, "promtool", "prometheus")
	doc, err := os.ReadFile(filepath.Join("..", "docs", "doctor.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(doc), "## Reporting to Prometheus")
	_, block, ok := strings.Cut(after, "```yaml\n")
	rules, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 || !strings.Contains(rules, "alert: GoverToolchainChanged") || !strings.Contains(rules, "alert: GoverGoOlderThanGoLine") {
		t.Fatalf("no alert rules (a yaml block naming GoverToolchainChanged and GoverGoOlderThanGoLine) under docs/doctor.md's \"Reporting to Prometheus\"")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "gover-alerts.yml"), rules)
	if out, err := exec.Command(promtool, "check", "rules", filepath.Join(dir, "gover-alerts.yml")).CombinedOutput(); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	// A laptop whose go1.21.13 changed at minute 0, and whose go is older
	// than the go line from minute 0 on: the first alert fires at once,
	// the second after its 30 minutes.
	writeFile(t, filepath.Join(dir, "test.yml"), `rule_files: [gover-alerts.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'gover_doctor_check_status{check="install-integrity",group="gover",status="fail",instance="laptop-1",job="node"}'
        values: '1x40'
      - series: 'gover_doctor_check_status{check="go-line",group="gover",status="fail",instance="laptop-1",job="node"}'
        values: '1x40'
      - series: 'gover_doctor_check_status{check="goproxy",group="network",status="fail",instance="laptop-1",job="node"}'
        values: '0x40'
    alert_rule_test:
      - eval_time: 1m
        alertname: GoverToolchainChanged
        exp_alerts:
          - exp_labels: {severity: critical, check: install-integrity, group: gover, status: fail, instance: laptop-1, job: node}
            exp_annotations:
              summary: "A Go toolchain on laptop-1 differs from what gover installed"
              description: "Run 'gover verify' there to see which files changed, then 'gover install --force VERSION'."
      - eval_time: 10m
        alertname: GoverGoOlderThanGoLine
        exp_alerts: []
      - eval_time: 35m
        alertname: GoverGoOlderThanGoLine
        exp_alerts:
          - exp_labels: {severity: warning, check: go-line, group: gover, status: fail, instance: laptop-1, job: node}
            exp_annotations:
              summary: "go builds fail on laptop-1: the Go that runs is older than go.mod's go line"
              description: "Run 'gover doctor go-line' there for the fix ('gover use VERSION')."
`)
	cmd := exec.Command(promtool, "test", "rules", "test.yml")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

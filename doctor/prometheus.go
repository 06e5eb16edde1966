package doctor

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/goverdev/gover/installer"
)

// A Toolchain is an installed toolchain as a fleet sees it.
type Toolchain struct {
	Version string // go1.22.5
	// Platform is the one it runs on ("linux-amd64"): this machine's, or
	// another's for a tree installed with --os/--arch.
	Platform string
	// Source is where it was installed from (official, proxy, mirror), or
	// "unknown" without a readable install record.
	Source string
	// Verified is "true" when this run's install-integrity checked it and
	// found it as installed, "false" when it did not, and "unchecked" when
	// install-integrity did not run to the end.
	Verified string
}

// The values of Toolchain.Verified.
const (
	verifiedYes       = "true"
	verifiedNo        = "false"
	verifiedUnchecked = "unchecked"
)

// toolchains lists the installed toolchains, with what install-integrity
// (in results, when it ran) found of each.
func (s *state) toolchains(results []Result) []Toolchain {
	installed, err := installer.List(s.env.Layout)
	if err != nil {
		return nil
	}
	checked := slices.ContainsFunc(results, func(r Result) bool {
		return r.ID == "install-integrity" && (r.Status == OK || r.Status == Fail)
	})
	var out []Toolchain
	for _, in := range installed {
		t := Toolchain{Version: in.Version, Platform: in.Foreign, Source: "unknown", Verified: verifiedUnchecked}
		if t.Platform == "" {
			t.Platform = s.env.HostOS + "-" + s.env.HostArch
		}
		if in.Summary != nil && in.Summary.Source != "" {
			t.Source = string(in.Summary.Source)
		}
		if checked {
			t.Verified = verifiedNo
			if _, ok := s.proven.Load(in.Name); ok {
				t.Verified = verifiedYes
			}
		}
		out = append(out, t)
	}
	return out
}

// statuses are the values of gover_doctor_check_status's status label, one
// series each per check.
var statuses = []Status{OK, Warn, Fail, Skip}

// WritePrometheus writes the report in Prometheus' text exposition format
// (version 0.0.4), as node_exporter's textfile collector reads it:
//
//	gover_doctor_check_status{check,group,status}   1 for the check's status, 0 for the others
//	gover_doctor_check_duration_seconds{check,group}
//	gover_doctor_toolchain_installed{version,platform,source,verified}   1 per installed toolchain
//	gover_doctor_baseline_drift   what drifted since the baseline (only with one)
//	gover_doctor_last_run_timestamp_seconds
//
// No sample carries a timestamp: the textfile collector refuses them.
func WritePrometheus(w io.Writer, r Report) error {
	b := bufio.NewWriter(w)
	family := func(name, typ, help string) {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
	}
	sample := func(name string, value string, labels ...string) {
		b.WriteString(name)
		if len(labels) > 0 {
			b.WriteByte('{')
			for i := 0; i < len(labels); i += 2 {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(b, "%s=\"%s\"", labels[i], escapeLabel(labels[i+1]))
			}
			b.WriteByte('}')
		}
		b.WriteString(" " + value + "\n")
	}

	family("gover_doctor_check_status", "gauge", "Whether a gover doctor check ended with this status (1) or not (0); one series per status: ok, warn, fail, skip.")
	for _, c := range r.Checks {
		for _, st := range statuses {
			v := "0"
			if c.Status == st {
				v = "1"
			}
			sample("gover_doctor_check_status", v, "check", c.ID, "group", c.Group, "status", string(st))
		}
	}
	family("gover_doctor_check_duration_seconds", "gauge", "How long a gover doctor check took.")
	for _, c := range r.Checks {
		sample("gover_doctor_check_duration_seconds", seconds(c.ElapsedMS), "check", c.ID, "group", c.Group)
	}
	family("gover_doctor_toolchain_installed", "gauge", "A Go toolchain installed by gover (always 1): its version, platform, source, and whether this run's install-integrity found its files as installed (true, false, unchecked).")
	for _, t := range r.Toolchains {
		sample("gover_doctor_toolchain_installed", "1", "version", t.Version, "platform", t.Platform, "source", t.Source, "verified", t.Verified)
	}
	if slices.ContainsFunc(r.Checks, func(c Result) bool { return c.ID == "baseline" }) {
		family("gover_doctor_baseline_drift", "gauge", "How many things drifted since the baseline gover doctor --baseline compared with.")
		sample("gover_doctor_baseline_drift", strconv.Itoa(len(r.Drift)))
	}
	family("gover_doctor_last_run_timestamp_seconds", "gauge", "When this gover doctor run started, in seconds since the Unix epoch.")
	sample("gover_doctor_last_run_timestamp_seconds", strconv.FormatFloat(float64(r.At.UnixMilli())/1000, 'f', 3, 64))
	return b.Flush()
}

func seconds(ms int64) string { return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64) }

// escapeLabel escapes a label value as the exposition format requires:
// backslash, double quote and newline.
func escapeLabel(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

// escapeHelp escapes HELP text: backslash and newline.
func escapeHelp(v string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(v)
}

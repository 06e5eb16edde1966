package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/shims/selection"
)

// A Baseline is a healthy run written down: the facts that decide which Go
// builds what, and each check's verdict. A later run compared with it says
// what drifted. It is kept away from gover's own folders (in CI's cache, or
// the repository), so that a toolchain and its install record rewritten
// together still show up: the record's tree hash no longer matches.
type Baseline struct {
	// Format is 1.
	Format  int               `json:"format"`
	SavedAt time.Time         `json:"saved_at"`
	Facts   map[string]string `json:"facts"`
	Checks  map[string]Status `json:"checks"`
}

// Fact names, in the order drift is reported.
const (
	factGo          = "go on PATH"
	factGoRuns      = "go that runs"
	factGoVersion   = "go version"
	factGOROOT      = "GOROOT"
	factGoEnvGOROOT = "go env GOROOT"
	factGOPROXY     = "GOPROXY"
	factGOSUMDB     = "GOSUMDB"
	factGOFLAGS     = "GOFLAGS"
	factGOPRIVATE   = "GOPRIVATE"
	factGONOPROXY   = "GONOPROXY"
	factGONOSUMDB   = "GONOSUMDB"
	factCGO         = "CGO_ENABLED"
	factCC          = "CC"
	factGlobal      = "global version"
	// factToolchain prefixes one fact per installed toolchain: its
	// install record's tree hash.
	factToolchain = "toolchain "
)

var factOrder = []string{factGo, factGoRuns, factGoVersion, factGOROOT, factGoEnvGOROOT, factGOPROXY, factGOSUMDB, factGOPRIVATE, factGONOPROXY, factGONOSUMDB, factGOFLAGS, factCGO, factCC, factGlobal}

// facts gathers what a baseline records.
func (s *state) facts(ctx context.Context) map[string]string {
	f := map[string]string{}
	if g, ok := s.goCmd.get(ctx); ok {
		f[factGo], f[factGoRuns] = g.Path, g.Runs
	}
	if ge, ok := s.goEnv.get(ctx); ok && ge.Err == nil {
		f[factGoVersion], f[factGoEnvGOROOT] = ge.Vars["GOVERSION"], ge.Vars["GOROOT"]
	}
	f[factGOROOT] = s.env.Getenv("GOROOT")
	set := goproxy.Load(s.env.Getenv)
	f[factGOPROXY], f[factGOSUMDB] = set.GOPROXY, set.GOSUMDB
	f[factGOFLAGS] = s.setting(ctx, "GOFLAGS").Value
	p := s.privacy(ctx)
	f[factGOPRIVATE], f[factGONOPROXY], f[factGONOSUMDB] = p.Private.Value, p.NoProxy.Value, p.NoSumDB.Value
	f[factCGO] = s.cgoSetting(ctx).Value
	f[factCC] = strings.Join(s.ccWordsIfSet(ctx), " ")
	if data, err := selection.ReadPin(s.env.Layout.GlobalFile); err == nil {
		f[factGlobal] = strings.TrimSpace(string(data))
	}
	installed, _ := installer.List(s.env.Layout)
	for _, in := range installed {
		hash := "no install record"
		if rec, err := installer.ReadRecord(s.env.Layout.Record(in.Name)); err == nil {
			hash = rec.Manifest.TreeHash()
		}
		f[factToolchain+in.Name] = hash
	}
	return f
}

// ccWordsIfSet is CC when the user set it.
func (s *state) ccWordsIfSet(ctx context.Context) []string {
	st := s.setting(ctx, "CC")
	if st.From == "default" {
		return nil
	}
	return strings.Fields(st.Value)
}

// NewBaseline records a run (made with Options.Facts).
func NewBaseline(r Report, now time.Time) Baseline {
	b := Baseline{Format: 1, SavedAt: now.UTC(), Facts: r.Facts, Checks: map[string]Status{}}
	if b.Facts == nil {
		b.Facts = map[string]string{}
	}
	for _, c := range r.Checks {
		b.Checks[c.ID] = c.Status
	}
	return b
}

// SaveBaseline writes b to path (atomically).
func SaveBaseline(path string, b Baseline) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("save baseline: %w", err)
	}
	return nil
}

// LoadBaseline reads a baseline SaveBaseline wrote.
func LoadBaseline(path string) (Baseline, error) {
	var b Baseline
	data, err := os.ReadFile(path)
	if err != nil {
		return b, fmt.Errorf("read baseline: %w (make one with 'gover doctor --save-baseline %s')", err, path)
	}
	if err := json.Unmarshal(data, &b); err != nil || b.Format != 1 {
		if err == nil {
			err = fmt.Errorf("format %d, want 1", b.Format)
		}
		return b, fmt.Errorf("read baseline %s: %v (make a new one with 'gover doctor --save-baseline %s')", path, err, path)
	}
	return b, nil
}

// A Drift is one thing that changed since the baseline.
type Drift struct {
	What string `json:"what"`
	Was  string `json:"was"`
	Now  string `json:"now"`
}

func (d Drift) String() string {
	show := func(v string) string {
		if v == "" {
			return "unset"
		}
		return v
	}
	return fmt.Sprintf("%s: %s, was %s", d.What, show(d.Now), show(d.Was))
}

// Compare lists what changed from b to r: facts (a new go on PATH, GOPROXY
// or GOROOT changed, a toolchain reinstalled, added or removed) and checks
// that got worse.
func Compare(b Baseline, r Report) []Drift {
	var drift []Drift
	keys := append([]string{}, factOrder...)
	var tools []string
	for k := range b.Facts {
		if strings.HasPrefix(k, factToolchain) {
			tools = append(tools, k)
		}
	}
	for k := range r.Facts {
		if strings.HasPrefix(k, factToolchain) && !slices.Contains(tools, k) {
			tools = append(tools, k)
		}
	}
	slices.Sort(tools)
	for _, k := range append(keys, tools...) {
		was, had := b.Facts[k]
		now, has := r.Facts[k]
		if was == now {
			continue
		}
		switch {
		case strings.HasPrefix(k, factToolchain) && !had:
			now = "installed since (" + now + ")"
		case strings.HasPrefix(k, factToolchain) && !has:
			now = "removed"
		case strings.HasPrefix(k, factToolchain):
			now = "reinstalled or its install record rewritten (tree " + now + ")"
		}
		drift = append(drift, Drift{What: k, Was: was, Now: now})
	}
	for _, c := range r.Checks {
		was, ok := b.Checks[c.ID]
		if ok && c.Status.rank() > was.rank() && was != Skip {
			drift = append(drift, Drift{What: "check " + c.ID, Was: string(was), Now: string(c.Status)})
		}
	}
	return drift
}

// DriftResult is the report line for a comparison with the baseline in
// path.
func DriftResult(drift []Drift, path string, savedAt time.Time) Result {
	r := Result{ID: "baseline", Group: GroupBaseline}
	when := savedAt.Format("2006-01-02 15:04 MST")
	if len(drift) == 0 {
		r.Status, r.Message = OK, fmt.Sprintf("nothing drifted since %s (%s)", path, when)
		return r
	}
	var parts []string
	for _, d := range drift {
		parts = append(parts, d.String())
	}
	r.Status = Warn
	r.Message = fmt.Sprintf("%d changes since %s (%s): %s", len(drift), path, when, strings.Join(parts, "; "))
	r.Fix = fmt.Sprintf("undo what you did not mean to change; record the rest with 'gover doctor --save-baseline %s'", path)
	return r
}

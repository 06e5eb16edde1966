package doctor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/toolchainmod"
)

// toolchainList is what the goproxy check asks each proxy for: the module
// gover's proxy source and GOTOOLCHAIN downloads.
const toolchainList = toolchainmod.ListPath

// A proxyEntry is one element of GOPROXY as the go command reads it.
type proxyEntry = goproxy.Entry

// checkGOPROXY asks every GOPROXY entry for the golang.org/toolchain module
// list, all at once, each with one short attempt, and follows the go
// command's rules to say whether downloads work: after "," the next entry
// is tried only on 404 or 410; after "|" on any error.
func checkGOPROXY(ctx context.Context, s *state) Result {
	set := goproxy.Load(s.env.Getenv)
	entries := goproxy.Split(set.GOPROXY)
	answers := s.probeAll(ctx, entries, func(e proxyEntry) string { return e.URL + "/" + toolchainList })
	var w proxyWalk
	for i, e := range entries {
		w.entry(ctx, s, e, answers[i])
	}
	return w.verdict(ctx, s, set, entries)
}

// A proxyWalk is the goproxy check's walk down GOPROXY, as the go command
// falls through it: a line per entry, and the verdict of the first entry
// that decides (answers, or fails where go does not move on).
type proxyWalk struct {
	lines  []string
	status Status
	fix    string
	// badFix is the fix for an entry the go command cannot use: a mistake
	// wherever it stands (an invalid URL makes cmd/go reject the whole
	// list; a wildcard is looked up as a host the day the entries before
	// it answer 404).
	badFix string
}

// decide records the verdict, unless an entry above decided already.
func (w *proxyWalk) decide(st Status, fix string) {
	if w.status == "" {
		w.status, w.fix = st, fix
	}
}

// after notes, on an entry's line, that go reaches it only by falling
// through.
func (w *proxyWalk) after() string {
	if w.status != "" {
		return " (go gets here only after a 404 above)"
	}
	return ""
}

// entry judges one entry and its answer.
func (w *proxyWalk) entry(ctx context.Context, s *state, e proxyEntry, a answer) {
	name := displayEntry(e)
	switch {
	case e.Ignored:
		w.lines = append(w.lines, name+": never used: go stops reading GOPROXY at direct or off")
		return
	case e.Problem != "":
		w.lines = append(w.lines, name+": "+e.Problem)
		if w.badFix == "" {
			w.badFix = "fix or remove GOPROXY's entry " + fetch.Redact(e.Raw) + " (e.g. GOPROXY=https://proxy.golang.org,direct)"
		}
		return
	case e.Off:
		w.lines = append(w.lines, "off: go downloads no modules from here on"+w.after())
		w.decide(Warn, "when go needs to download modules or toolchains, set GOPROXY to a proxy (e.g. https://proxy.golang.org,direct)")
		return
	case e.Direct:
		w.direct(ctx, s, e, a)
		return
	}
	p := s.diagnoseList(a)
	// Only an entry go reaches decides; the others are not worth a second
	// request (and with the network down would double the wait).
	if w.status == "" {
		if fp, ok := s.forwardProxy(ctx, e, a, p); ok {
			p = fp
		}
	}
	w.lines = append(w.lines, name+": "+p.Msg+w.judge(e, p))
}

// judge records what an entry's answer means for the walk, and returns
// what its line adds after the answer.
func (w *proxyWalk) judge(e proxyEntry, p problem) string {
	after := w.after()
	switch p.Kind {
	case "":
		w.decide(OK, "")
		return ""
	case "notfound":
		return "; go moves on to the next entry" + after
	}
	if !e.AnyError {
		w.decide(p.severity(), p.Fix)
	} else if w.status == "" {
		w.fix = p.Fix
	}
	return after
}

// direct judges "direct", which means two things: modules come from each
// module's own host by version control, toolchains from go.dev/dl/mod.
func (w *proxyWalk) direct(ctx context.Context, s *state, e proxyEntry, a answer) {
	modules, st, fix := s.directModules(ctx, w.status == "")
	p := s.diagnoseList(a)
	toolchains := "toolchains come from " + e.URL + ": " + p.Msg
	if p.Kind == "notfound" {
		toolchains += ", so go cannot download toolchains"
		p.Kind = "" // the list ends here: nothing to move on to
		w.decide(Warn, "for toolchains, put a proxy that serves golang.org/toolchain before direct, such as https://proxy.golang.org")
	}
	w.lines = append(w.lines, "direct: "+modules+"; "+toolchains+w.judge(e, p))
	if st != OK {
		w.status, w.fix = worse(w.status, st), joinNonEmpty("; ", w.fix, fix)
	}
}

// verdict is the check's result once every entry is judged.
func (w *proxyWalk) verdict(ctx context.Context, s *state, set goproxy.Settings, entries []proxyEntry) Result {
	msg := fmt.Sprintf("GOPROXY=%s (%s): %s", fetch.Redact(set.GOPROXY), fromWords(set.From["GOPROXY"]), strings.Join(w.lines, "; "))
	if w.badFix != "" {
		fix := w.badFix
		if w.status == Fail {
			fix = joinNonEmpty("; ", fix, w.fix)
		}
		return failf(msg, s.proxySetFix(ctx, set, fix))
	}
	switch w.status {
	case "":
		if w.fix != "" {
			return failf(msg+": no entry answers", w.fix)
		}
		return warnf(msg+": no entry serves golang.org/toolchain, so go cannot download toolchains (GOTOOLCHAIN) and 'gover install --source proxy' finds nothing",
			"add a proxy that serves it, such as https://proxy.golang.org")
	case OK:
		for _, e := range entries {
			if e.Ignored {
				return warnf(msg, "remove the entries after direct or off, which go never reads")
			}
		}
	}
	return resultOf(w.status, msg, w.fix)
}

// proxySetFix adds where GOPROXY is set to a fix that changes it.
func (s *state) proxySetFix(ctx context.Context, set goproxy.Settings, fix string) string {
	if where := s.origin(ctx, "GOPROXY"); where != "" {
		return fix + " (GOPROXY is set in " + where + ")"
	}
	return fix
}

// diagnoseList judges a proxy's answer for the toolchain module list.
func (s *state) diagnoseList(a answer) problem {
	p := s.diagnose(a, "module list")
	if p.Kind != "" {
		return p
	}
	n := 0
	for _, line := range strings.Split(string(a.Body), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if !strings.HasPrefix(line, "v") {
			return problem{Kind: "html", Msg: fmt.Sprintf("answered, but not with a module list (%q…)", truncate(line, 40)),
				Fix: "check that " + fetch.Redact(a.URL) + " is a Go module proxy"}
		}
		n++
	}
	via := ""
	if a.Via != nil {
		via = ", through " + fetch.Redact(a.Via.String())
	}
	return problem{Msg: fmt.Sprintf("ok, %s listed (%dms%s)", count(n, "toolchain"), a.Elapsed.Milliseconds(), via)}
}

// probeAll GETs each usable entry's URL at once; file:// URLs are read.
func (s *state) probeAll(ctx context.Context, entries []proxyEntry, target func(proxyEntry) string) []answer {
	client := s.httpClient()
	answers := make([]answer, len(entries))
	var wg sync.WaitGroup
	for i, e := range entries {
		if e.Ignored || e.Off || e.Problem != "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = s.fetchURL(ctx, client, target(e))
		}()
	}
	wg.Wait()
	return answers
}

// fetchURL gets an http(s) URL, or reads a file:// one as the go command
// would.
func (s *state) fetchURL(ctx context.Context, client *http.Client, raw string) answer {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "file" {
		return s.get(ctx, client, raw, 1<<20)
	}
	path := u.Path
	if len(path) >= 3 && path[0] == '/' && path[2] == ':' {
		path = path[1:] // file:///C:/goproxy on Windows
	}
	data, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		return answer{URL: raw, Code: http.StatusNotFound}
	}
	return answer{URL: raw, Code: http.StatusOK, Body: data}
}

// displayEntry names an entry in messages, credentials hidden.
func displayEntry(e proxyEntry) string {
	switch {
	case e.Direct:
		return "direct (" + e.URL + " for toolchains)"
	case e.Off:
		return "off"
	case e.URL != "" && e.URL != e.Raw && !strings.Contains(e.Raw, "://"):
		return fetch.Redact(e.Raw) + " (read as " + fetch.Redact(e.URL) + ")"
	}
	return fetch.Redact(e.Raw)
}

// fromWords says where a goproxy.Settings value came from.
func fromWords(from string) string {
	switch from {
	case "", "default":
		return "Go's default"
	case "environment":
		return "from the environment"
	}
	return "from " + from + ", written by 'go env -w'"
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// checkGOSUMDB reaches the checksum database the way the go command does —
// through the first proxy that says it supports it (<proxy>/sumdb/<name>/
// supported), else directly, or at the URL GOSUMDB names — and checks that
// the signed tree head there verifies with GOSUMDB's key.
func checkGOSUMDB(ctx context.Context, s *state) Result {
	set := goproxy.Load(s.env.Getenv)
	raw := strings.TrimSpace(set.GOSUMDB)
	db, err := goproxy.ParseGOSUMDB(raw)
	if err != nil {
		return failf(err.Error(), s.unsetFix(ctx, "GOSUMDB")+" (the default, sum.golang.org, is right for public modules)")
	}
	client := s.httpClient()
	base, how, pr := db.URL, "directly", problem{}
	if !db.Explicit {
		base, how, pr = s.sumdbBase(ctx, client, set.GOPROXY, db)
	}
	off := ""
	if raw == "off" {
		off = "GOSUMDB=off: go checks no module download against the checksum database (gover still checks toolchains against sum.golang.org); "
	}
	if pr.Kind != "" {
		return failf(fmt.Sprintf("%s%s: %s", off, db.Name, pr.Msg), pr.Fix)
	}
	a := s.get(ctx, client, base+"/latest", 64<<10)
	pr = s.diagnose(a, "signed tree head")
	size := ""
	if pr.Kind == "" {
		verifier, err := note.NewVerifier(db.Key)
		var n *note.Note
		if err == nil {
			n, err = note.Open(a.Body, note.VerifierList(verifier))
		}
		if err == nil {
			if t, err := tlog.ParseTree([]byte(n.Text)); err == nil && t.N > 0 {
				size = fmt.Sprintf(", %d records", t.N)
			}
		} else {
			pr = problem{Kind: "other", Msg: fmt.Sprintf("answered, but its tree head does not verify with GOSUMDB's key (%v)", err),
				Fix: "check that GOSUMDB's key and URL belong together, and that nothing between you and " + hostOf(base) + " rewrites answers"}
		}
	}
	if pr.Kind != "" {
		if pr.Kind == "notfound" {
			pr.Msg = "has no /latest: is " + fetch.Redact(base) + " a checksum database?"
			pr.Fix = "check GOSUMDB's URL"
		}
		return failf(fmt.Sprintf("%s%s %s (%s): %s", off, db.Name, how, fetch.Redact(base), pr.Msg), pr.Fix)
	}
	msg := fmt.Sprintf("%s%s reached %s (%s%s, %dms), signed tree head verified", off, db.Name, how, fetch.Redact(base), size, a.Elapsed.Milliseconds())
	if off != "" {
		return warnf(msg, s.unsetFix(ctx, "GOSUMDB")+" (list private modules in GOPRIVATE or GONOSUMDB instead)")
	}
	return okf(msg)
}

// sumdbBase walks GOPROXY as cmd/go does to find the way to the database.
func (s *state) sumdbBase(ctx context.Context, client *http.Client, list string, db goproxy.SumDB) (base, how string, p problem) {
	for _, e := range goproxy.Split(list) {
		if e.Ignored || e.Problem != "" {
			continue
		}
		if e.Direct || e.Off {
			break
		}
		if strings.HasPrefix(e.URL, "file:") {
			continue
		}
		a := s.get(ctx, client, e.URL+"/sumdb/"+db.Name+"/supported", 4<<10)
		pr := s.diagnose(a, "answer")
		switch {
		case pr.Kind == "":
			return e.URL + "/sumdb/" + db.Name, "through " + fetch.Redact(e.URL), problem{}
		case pr.Kind == "notfound" || e.AnyError:
			continue
		}
		pr.Msg = fmt.Sprintf("asking %s whether it proxies the database: %s", fetch.Redact(e.URL), pr.Msg)
		return "", "", pr
	}
	return db.URL, "directly", problem{}
}

// directModules says what "direct" means for modules: the go command
// fetches each from its own host by version control, which for nearly
// every host is git. first is true when go reaches direct for every module
// (nothing before it answers), false when only for the modules the proxies
// above do not have.
func (s *state) directModules(ctx context.Context, first bool) (string, Status, string) {
	which := "modules come from each module's own host by version control"
	if !first {
		which = "modules the proxies above do not have (private ones) come from their own hosts by version control"
	}
	if hosts := s.requiredHosts(ctx); len(hosts) > 0 {
		which += " (" + listSome(hosts, 3) + ")"
	}
	git, err := s.lookPath("git")
	if err != nil {
		st := Warn
		if first {
			st = Fail
		}
		return which + ", but git is not on PATH: go cannot download them", st,
			s.gitFix() + ", or let a module proxy serve public modules: GOPROXY=https://proxy.golang.org,direct"
	}
	return which + " (git is " + git + "; each host must be reachable, with credentials for private ones)", OK, ""
}

// requiredHosts are the hosts of the modules this module's go.mod requires.
func (s *state) requiredHosts(ctx context.Context) []string {
	mod, ok := s.module.get(ctx)
	if !ok || mod.Root == "" {
		return nil
	}
	data, err := readGoMod(filepath.Join(mod.Root, "go.mod"))
	if err != nil {
		return nil
	}
	mf, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return nil
	}
	var hosts []string
	for _, r := range mf.Require {
		host, _, _ := strings.Cut(r.Mod.Path, "/")
		if !slices.Contains(hosts, host) {
			hosts = append(hosts, host)
		}
	}
	return hosts
}

// gitFix is how to install git on this OS.
func (s *state) gitFix() string {
	switch s.env.HostOS {
	case "darwin":
		return "install git ('xcode-select --install' or 'brew install git')"
	case "windows":
		return "install git ('winget install Git.Git') and put it on PATH"
	}
	return "install git ('sudo apt install git', 'sudo dnf install git' or 'apk add git')"
}

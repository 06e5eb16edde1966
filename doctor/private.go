package doctor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
)

// The private-modules check follows a required module the way the go
// command fetches it (cmd/go/internal/modfetch): GONOPROXY (default
// GOPRIVATE) sends a module to its VCS directly, everything else walks
// GOPROXY; GONOSUMDB (default GOPRIVATE) exempts a module from the checksum
// database, which otherwise must know every module go.sum does not list.
// The patterns are matched with module.MatchPrefixPatterns, cmd/go's own.

// privacy is GOPRIVATE, GONOPROXY and GONOSUMDB as the go command reads
// them, and the lists in effect.
type privacy struct {
	Private, NoProxy, NoSumDB setting
	// NoProxyList and NoSumDBList are the patterns in effect: the variable,
	// else GOPRIVATE (cfg.GONOPROXY, cfg.GONOSUMDB).
	NoProxyList, NoSumDBList string
}

func (s *state) privacy(ctx context.Context) privacy {
	var p privacy
	p.Private, p.NoProxy, p.NoSumDB = s.userSetting(ctx, "GOPRIVATE"), s.userSetting(ctx, "GONOPROXY"), s.userSetting(ctx, "GONOSUMDB")
	p.NoProxyList = firstNonEmpty(p.NoProxy.Value, p.Private.Value)
	p.NoSumDBList = firstNonEmpty(p.NoSumDB.Value, p.Private.Value)
	return p
}

// userSetting is a setting the user made (environment or go env file);
// empty when only Go's default applies.
func (s *state) userSetting(ctx context.Context, key string) setting {
	st := s.setting(ctx, key)
	if st.From == "default" {
		return setting{}
	}
	return st
}

// A patternProblem is an entry of GOPRIVATE, GONOPROXY or GONOSUMDB that
// does not do what it looks meant to.
type patternProblem struct {
	Var, Entry string
	// Meant is the pattern a URL entry was meant to be ("" for others).
	Meant string
	// All is true for an entry that matches every module path.
	All bool
}

// patternProblems finds, in a GOPRIVATE-style list, entries written as
// URLs (which match no module path: patterns are matched against paths
// element by element, so "https:" never matches a host) and entries that
// match every module.
func patternProblems(name, list string) []patternProblem {
	var out []patternProblem
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		switch {
		case e == "":
		case strings.Contains(e, "://"):
			_, rest, _ := strings.Cut(e, "://")
			if i := strings.IndexAny(rest, "@"); i >= 0 {
				rest = rest[i+1:]
			}
			out = append(out, patternProblem{Var: name, Entry: e, Meant: strings.TrimSuffix(rest, "/")})
		case module.MatchPrefixPatterns(e, "x") && module.MatchPrefixPatterns(e, "github.com/x/y"):
			out = append(out, patternProblem{Var: name, Entry: e, All: true})
		}
	}
	return out
}

// privatePattern proposes a GOPRIVATE pattern for a module path: its host,
// or host/owner on the public code hosts, where the host alone would take
// every public module there away from the proxy.
func privatePattern(path string) string {
	parts := strings.Split(path, "/")
	switch parts[0] {
	case "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitea.com", "dev.azure.com":
		if len(parts) >= 2 {
			return parts[0] + "/" + parts[1]
		}
	}
	return parts[0]
}

// A fetchRoute is where the go command gets one required module from.
type fetchRoute struct {
	Mod module.Version
	// Direct: GONOPROXY matches it, so go asks its VCS host.
	Direct bool
	// From is the proxy entry that serves it; empty when none does.
	From string
	// Fallback is "direct" or "off" when every proxy before it said 404
	// or 410, "" when the list ended there.
	Fallback string
	// NotFound are the proxies that answered 404/410.
	NotFound []string
	// Err is why an entry could not be asked, stopping the walk.
	Err *problem
	// SumDB: go checks it against the checksum database (GONOSUMDB does
	// not match it, GOSUMDB is not off, go.sum lacks it).
	SumDB bool
	// Cached: the module cache has its go.mod, so go here asks no one.
	Cached bool
	// SumDBKnows is what the checksum database said when asked about it
	// (SumDB routes only): "yes", "no" (404/410), or "" (not asked, or
	// no answer: the gosumdb check says why).
	SumDBKnows string
}

// maxModuleProbes bounds how many required modules the check asks about;
// maxParallelProbes, how many at once.
const (
	maxModuleProbes   = 200
	maxParallelProbes = 16
)

// checkPrivateModules: every module go.mod requires can be fetched the
// way the go command will: a private module the proxy cannot serve must be
// in GOPRIVATE (or GONOPROXY and GONOSUMDB); GOPRIVATE must be module path
// patterns, not URLs, and not '*'; and it should not send a module around
// a company proxy that serves it.
func checkPrivateModules(ctx context.Context, s *state) Result {
	p := s.privacy(ctx)
	var problems []patternProblem
	for _, st := range []struct {
		name string
		set  setting
	}{{"GOPRIVATE", p.Private}, {"GONOPROXY", p.NoProxy}, {"GONOSUMDB", p.NoSumDB}} {
		problems = append(problems, patternProblems(st.name, st.set.Value)...)
	}
	root := findUp(s.env.Dir, "go.mod", isFile)
	var mf *modfile.File
	if root != "" {
		data, err := readGoMod(filepath.Join(root, "go.mod"))
		if err == nil {
			mf, _ = modfile.Parse(filepath.Join(root, "go.mod"), data, nil)
		}
	}
	var routes []fetchRoute
	truncated := 0
	vendored := ""
	if mf != nil {
		routes, truncated = s.fetchRoutes(ctx, p, root, mf)
		if u := s.vendorUse(ctx, root, mf); u.On && findUp(s.env.Dir, "go.work", isFile) == "" {
			vendored = u.Why
		}
	}
	return s.privateVerdict(ctx, p, problems, mf, routes, truncated, vendored)
}

// fetchRoutes asks the proxies about each module go.mod requires (after
// its replacements), as the go command would fetch it.
func (s *state) fetchRoutes(ctx context.Context, p privacy, root string, mf *modfile.File) ([]fetchRoute, int) {
	set := goproxy.Load(s.env.Getenv)
	entries := goproxy.Split(set.GOPROXY)
	sums := readGoSum(filepath.Join(root, "go.sum"))
	sumdbOff := strings.TrimSpace(set.GOSUMDB) == "off"
	var mods []module.Version
	for _, r := range mf.Require {
		m := r.Mod
		if rep := replacementFor(mf, m); rep != nil {
			if rep.Version == "" {
				continue // a folder on disk: nothing to download
			}
			m = *rep
		}
		mods = append(mods, m)
	}
	truncated := 0
	if len(mods) > maxModuleProbes {
		truncated = len(mods) - maxModuleProbes
		mods = mods[:maxModuleProbes]
	}
	client := s.httpClient()
	cache := s.modCache(ctx)
	routes := make([]fetchRoute, len(mods))
	sem := make(chan struct{}, maxParallelProbes)
	var wg sync.WaitGroup
	for i, m := range mods {
		r := fetchRoute{Mod: m}
		r.Direct = module.MatchPrefixPatterns(p.NoProxyList, m.Path)
		r.SumDB = !sumdbOff && !module.MatchPrefixPatterns(p.NoSumDBList, m.Path) && !sums[m.Path+" "+m.Version+"/go.mod"]
		r.Cached = inModCache(cache, m)
		routes[i] = r
		if r.Cached {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			s.walkProxies(ctx, client, entries, &routes[i])
		}()
	}
	wg.Wait()
	s.askSumDB(ctx, client, set, routes)
	return routes, truncated
}

// askSumDB asks the checksum database, found as the go command finds it,
// about each module go would have to verify with it: the ones a proxy or
// direct serves that GONOSUMDB does not cover and go.sum does not list.
func (s *state) askSumDB(ctx context.Context, client *http.Client, set goproxy.Settings, routes []fetchRoute) {
	var ask []int
	for i, r := range routes {
		// A direct module GONOSUMDB does not cover is one go itself asks
		// the database about, so asking leaks nothing go would not.
		if r.SumDB && !r.Cached && (r.Direct || r.From != "" || r.Fallback == "direct") {
			ask = append(ask, i)
		}
	}
	if len(ask) == 0 {
		return
	}
	db, err := goproxy.ParseGOSUMDB(strings.TrimSpace(set.GOSUMDB))
	if err != nil {
		return
	}
	base := db.URL
	if !db.Explicit {
		var pr problem
		if base, _, pr = s.sumdbBase(ctx, client, set.GOPROXY, db); pr.Kind != "" {
			return
		}
	}
	sem := make(chan struct{}, maxParallelProbes)
	var wg sync.WaitGroup
	for _, i := range ask {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			r := &routes[i]
			escPath, err1 := module.EscapePath(r.Mod.Path)
			escVer, err2 := module.EscapeVersion(r.Mod.Version)
			if err1 != nil || err2 != nil {
				return
			}
			a := s.get(ctx, client, base+"/lookup/"+escPath+"@"+escVer, 64<<10)
			switch pr := s.diagnose(a, "record"); pr.Kind {
			case "":
				r.SumDBKnows = "yes"
			case "notfound":
				r.SumDBKnows = "no"
			}
		}()
	}
	wg.Wait()
}

// walkProxies asks GOPROXY's entries for r's go.mod in order, as cmd/go
// does: after "," only a 404 or 410 moves on, after "|" any error does.
// A module GONOPROXY sends direct is asked of the first proxy only, to
// see whether GOPRIVATE routes it around a proxy that has it.
func (s *state) walkProxies(ctx context.Context, client *http.Client, entries []proxyEntry, r *fetchRoute) {
	escPath, err1 := module.EscapePath(r.Mod.Path)
	escVer, err2 := module.EscapeVersion(r.Mod.Version)
	if err1 != nil || err2 != nil {
		return
	}
	for _, e := range entries {
		switch {
		case e.Ignored || e.Problem != "":
			continue
		case e.Off:
			r.Fallback = "off"
			return
		case e.Direct:
			r.Fallback = "direct"
			return
		}
		if r.Direct && publicProxy(e.URL) {
			// Asking a public proxy about a module GOPRIVATE covers would
			// tell it the private path, which GOPRIVATE exists to prevent.
			return
		}
		a := s.fetchURL(ctx, client, e.URL+"/"+escPath+"/@v/"+escVer+".mod")
		pr := s.diagnose(a, "go.mod for "+r.Mod.Path)
		switch {
		case pr.Kind == "":
			r.From = e.URL
			return
		case r.Direct:
			return
		case pr.Kind == "notfound":
			r.NotFound = append(r.NotFound, fmt.Sprintf("%s (%d)", fetch.Redact(e.URL), a.Code))
		case e.AnyError:
			continue
		default:
			r.Err = &pr
			return
		}
	}
}

// modCache is the module cache as the go command finds it: GOMODCACHE,
// else the first GOPATH entry's pkg/mod.
func (s *state) modCache(ctx context.Context) string {
	if v := s.setting(ctx, "GOMODCACHE").Value; v != "" {
		return v
	}
	if gp := filepath.SplitList(s.gopath(ctx)); len(gp) > 0 && gp[0] != "" {
		return filepath.Join(gp[0], "pkg", "mod")
	}
	return ""
}

// inModCache reports whether the module cache holds m's go.mod, which the
// go command then reads instead of asking a proxy.
func inModCache(cache string, m module.Version) bool {
	escPath, err1 := module.EscapePath(m.Path)
	escVer, err2 := module.EscapeVersion(m.Version)
	if cache == "" || err1 != nil || err2 != nil {
		return false
	}
	return isFile(filepath.Join(cache, "cache", "download", filepath.FromSlash(escPath), "@v", escVer+".mod"))
}

// publicProxies are module proxies anyone can use: they cannot serve a
// private module, and must not be asked about one.
var publicProxies = []string{"proxy.golang.org", "goproxy.io", "goproxy.cn", "mirrors.aliyun.com", "mirrors.cloud.tencent.com", "goproxy.dev"}

func publicProxy(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && slices.Contains(publicProxies, strings.ToLower(u.Hostname()))
}

// replacementFor is the module a replace directive puts in m's place; nil
// when none does. A folder replacement has no version.
func replacementFor(mf *modfile.File, m module.Version) *module.Version {
	var found *module.Version
	for _, r := range mf.Replace {
		if r.Old.Path != m.Path || r.Old.Version != "" && r.Old.Version != m.Version {
			continue
		}
		rep := r.New
		if found == nil || r.Old.Version != "" { // a versioned replace wins
			found = &rep
		}
	}
	return found
}

// readGoSum is the set of "path version" and "path version/go.mod" keys a
// go.sum lists.
func readGoSum(path string) map[string]bool {
	out := map[string]bool{}
	data, err := readProjectFile(path)
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 {
			out[f[0]+" "+f[1]] = true
		}
	}
	return out
}

// privateVerdict turns the findings into one result.
// vendored, when not empty, is why builds here use vendor/: they then
// download nothing, and only commands that do fail.
func (s *state) privateVerdict(ctx context.Context, p privacy, problems []patternProblem, mf *modfile.File, routes []fetchRoute, truncated int, vendored string) Result {
	v := verdict{status: OK}
	for _, pp := range problems {
		s.patternFinding(ctx, &v, pp, mf, routes)
	}
	g := groupRoutes(routes)
	s.routeFindings(ctx, &v, p, g, vendored)
	if len(v.msgs) > 0 {
		return resultOf(v.status, strings.Join(v.msgs, "; "), strings.Join(v.fixes, "; "))
	}
	return privateOK(p, mf, g, len(routes), truncated)
}

// verdict gathers findings into one result: the worst status, every
// message, each fix once.
type verdict struct {
	status      Status
	msgs, fixes []string
}

func (v *verdict) add(st Status, msg, fix string) {
	v.status = worse(v.status, st)
	v.msgs = append(v.msgs, msg)
	if fix != "" && !slices.Contains(v.fixes, fix) {
		v.fixes = append(v.fixes, fix)
	}
}

// patternFinding says what a GOPRIVATE/GONOPROXY/GONOSUMDB entry written
// wrongly (a URL, or one matching everything) does to this module.
func (s *state) patternFinding(ctx context.Context, v *verdict, pp patternProblem, mf *modfile.File, routes []fetchRoute) {
	where := s.whereWords(ctx, pp.Var)
	switch {
	case pp.Meant != "":
		msg := fmt.Sprintf("%s entry %s is a URL%s: go matches %s against module paths, so it matches none", pp.Var, pp.Entry, where, pp.Var)
		st := Warn
		if hit := requiredMatching(routes, pp.Meant); len(hit) > 0 {
			st = Fail
			msg += fmt.Sprintf(" (not %s, which go.mod requires: go sends it to GOPROXY and the checksum database)", hit[0])
		}
		v.add(st, msg, s.setListFix(ctx, pp.Var, replaceEntry(s.userSetting(ctx, pp.Var).Value, pp.Entry, pp.Meant), "write the pattern without a scheme: "+pp.Meant))
	case pp.All:
		what := "every module goes around GOPROXY to its VCS host and is checked against no checksum database"
		switch pp.Var {
		case "GONOPROXY":
			what = "every module goes around GOPROXY to its VCS host"
		case "GONOSUMDB":
			what = "no module download is checked against the checksum database"
		}
		fix, val := "list only your private module paths", ""
		if mf != nil && mf.Module != nil {
			val = privatePattern(mf.Module.Mod.Path)
			fix += ", such as " + val
		}
		v.add(Warn, fmt.Sprintf("%s=%s%s: %s", pp.Var, pp.Entry, where, what), s.setListFix(ctx, pp.Var, val, fix))
	}
}

// requiredMatching is the required module paths a pattern list matches.
func requiredMatching(routes []fetchRoute, pattern string) []string {
	var hit []string
	for _, r := range routes {
		if module.MatchPrefixPatterns(pattern, r.Mod.Path) {
			hit = append(hit, r.Mod.Path)
		}
	}
	return hit
}

// routeGroups is the required modules sorted by how go fetches them.
type routeGroups struct {
	ok, direct, around, unknown, cached    []string
	unserved, unverified, unverifiedDirect []fetchRoute
	aroundProxy                            string
}

func groupRoutes(routes []fetchRoute) routeGroups {
	var g routeGroups
	for _, r := range routes {
		name := r.Mod.Path + " " + r.Mod.Version
		switch {
		case r.Cached:
			g.cached = append(g.cached, name)
		case r.Direct && r.From != "":
			g.around = append(g.around, r.Mod.Path)
			g.aroundProxy = r.From
		case r.Direct && r.SumDB && r.SumDBKnows != "yes":
			g.unverifiedDirect = append(g.unverifiedDirect, r)
		case r.Direct:
			g.direct = append(g.direct, name)
		case r.From != "" && r.SumDBKnows == "no":
			g.unverified = append(g.unverified, r)
		case r.From != "":
			g.ok = append(g.ok, name)
		case r.Err != nil:
			g.unknown = append(g.unknown, name+": "+r.Err.Msg)
		case r.Fallback == "direct" && (!r.SumDB || r.SumDBKnows == "yes"):
			g.direct = append(g.direct, name)
		default:
			g.unserved = append(g.unserved, r)
		}
	}
	return g
}

// routeFindings says which required modules go cannot fetch or verify,
// and which go around a proxy that serves them.
func (s *state) routeFindings(ctx context.Context, v *verdict, p privacy, g routeGroups, vendored string) {
	// Builds from vendor/ download nothing: only what does fails.
	severity, after := Fail, ""
	if vendored != "" {
		severity, after = Warn, "; builds here use vendor/ ("+vendored+"), so only commands that download fail (go mod tidy, go get, go mod vendor)"
	}
	if len(g.unserved) > 0 {
		v.add(severity, s.notServedMessage(g.unserved[0])+andMore(g.unserved[1:])+after, s.privateFix(ctx, p, g.unserved))
	}
	if len(g.unverifiedDirect) > 0 {
		r := g.unverifiedDirect[0]
		v.add(severity, fmt.Sprintf("GONOPROXY sends %s %s to its VCS host, but GONOSUMDB does not cover it and go.sum lacks it: go then asks the checksum database, which cannot see a private module, and stops with 'verifying go.mod: …: 404 Not Found'%s%s",
			r.Mod.Path, r.Mod.Version, andMore(g.unverifiedDirect[1:]), after),
			s.setListFix(ctx, "GONOSUMDB", appendList(p.NoSumDB.Value, patternsFor(g.unverifiedDirect)), "")+" (or name them in GOPRIVATE, which covers both)")
	}
	if len(g.unverified) > 0 {
		r := g.unverified[0]
		v.add(severity, fmt.Sprintf("go.mod requires %s %s, which %s serves, but GONOSUMDB/GOPRIVATE do not cover it and go.sum lacks it: go then asks the checksum database, which does not know it (404), and stops with 'verifying go.mod: …: 404 Not Found'%s%s",
			r.Mod.Path, r.Mod.Version, fetch.Redact(r.From), andMore(g.unverified[1:]), after),
			s.setListFix(ctx, "GONOSUMDB", appendList(p.NoSumDB.Value, patternsFor(g.unverified)), "")+" (the proxy keeps serving them; GOPRIVATE would also send them around the proxy)")
	}
	if len(g.around) > 0 {
		via := "GOPRIVATE"
		if p.NoProxy.Value != "" {
			via = "GONOPROXY"
		}
		v.add(Warn, fmt.Sprintf("%s sends %s around GOPROXY's %s, which serves %s: go fetches %s from the VCS host instead, which needs git and credentials for it",
			via, listSome(g.around, 3), fetch.Redact(g.aroundProxy), itThem(len(g.around)), itThem(len(g.around))),
			s.noProxyNoneFix(ctx, p))
	}
	if len(g.unknown) > 0 {
		v.add(Warn, fmt.Sprintf("could not ask the proxy about %s", listSome(g.unknown, 2)), "see the goproxy check")
	}
}

// privateOK is the result when nothing is wrong: how the required modules
// are reached.
func privateOK(p privacy, mf *modfile.File, g routeGroups, required, truncated int) Result {
	if mf == nil {
		return okf(fmt.Sprintf("GOPRIVATE=%s, GONOPROXY=%s, GONOSUMDB=%s; not in a module, so no required modules to check", showEmpty(p.Private.Value), showEmpty(p.NoProxy.Value), showEmpty(p.NoSumDB.Value)))
	}
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{len(g.cached), "in the module cache"}, {len(g.ok), "through GOPROXY"}, {len(g.direct), "from their VCS hosts directly"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	msg := fmt.Sprintf("%s required by go.mod", count(required, "module"))
	if len(parts) > 0 {
		msg += ": " + strings.Join(parts, ", ")
	}
	if p.Private.Value != "" {
		msg += " (GOPRIVATE=" + p.Private.Value + ")"
	}
	if truncated > 0 {
		msg += fmt.Sprintf("; %d more not asked about", truncated)
	}
	return okf(msg)
}

// notServedMessage says why go cannot fetch r.
func (s *state) notServedMessage(r fetchRoute) string {
	name := r.Mod.Path + " " + r.Mod.Version
	from := "no GOPROXY entry"
	if len(r.NotFound) > 0 {
		from = strings.Join(r.NotFound, ", ")
	}
	if r.Fallback == "off" && len(r.NotFound) == 0 {
		return fmt.Sprintf("go.mod requires %s, which is not in the module cache, and GOPROXY=off lets go download nothing but what GOPRIVATE/GONOPROXY cover: go stops with 'module lookup disabled by GOPROXY=off'", name)
	}
	if r.Fallback == "direct" {
		return fmt.Sprintf("go.mod requires %s, which %s does not have, and GOPRIVATE/GONOSUMDB do not cover it: go fetches it from its VCS host, then asks the checksum database, which cannot see a private module ('verifying go.mod: …: 404 Not Found')", name, from)
	}
	return fmt.Sprintf("go.mod requires %s, which %s does not have (404/410), and GOPRIVATE/GONOPROXY do not cover it: go stops with 'reading …/%s/@v/%s.mod: 404 Not Found'", name, from, r.Mod.Path, r.Mod.Version)
}

// privateFix says how to mark modules private.
func (s *state) privateFix(ctx context.Context, p privacy, routes []fetchRoute) string {
	fix := s.setListFix(ctx, "GOPRIVATE", appendList(p.Private.Value, patternsFor(routes)), "")
	if len(routes) == 1 {
		return fmt.Sprintf("if %s is private: %s (go then fetches it from its VCS host with your git credentials, and skips the checksum database); if it is public, check its path and version", routes[0].Mod.Path, fix)
	}
	return fmt.Sprintf("if they are private: %s (go then fetches them from their VCS hosts with your git credentials, and skips the checksum database); if public, check their paths and versions", fix)
}

// patternsFor is the GOPRIVATE patterns that cover routes' modules, each
// once, comma-separated.
func patternsFor(routes []fetchRoute) string {
	var pats []string
	for _, r := range routes {
		if pat := privatePattern(r.Mod.Path); !slices.Contains(pats, pat) {
			pats = append(pats, pat)
		}
	}
	return strings.Join(pats, ",")
}

// andMore names the other modules a finding applies to.
func andMore(routes []fetchRoute) string {
	if len(routes) == 0 {
		return ""
	}
	var names []string
	for _, r := range routes {
		names = append(names, r.Mod.Path+" "+r.Mod.Version)
	}
	return " (so are " + listSome(names, 3) + ")"
}

// noProxyNoneFix keeps GOPRIVATE's checksum exemption but lets the proxy
// serve the private modules: GONOPROXY=none ('go help private').
func (s *state) noProxyNoneFix(ctx context.Context, p privacy) string {
	return s.setListFix(ctx, "GONOPROXY", "none", "") + " so the proxy serves them (GOPRIVATE still keeps them out of the checksum database)"
}

// setListFix says how to give key the value: 'go env -w' unless the
// environment sets it (which overrides the go env file).
func (s *state) setListFix(ctx context.Context, key, value, why string) string {
	fix := ""
	st := s.userSetting(ctx, key)
	switch {
	case value == "" && why != "":
		return why
	case st.From == "environment":
		where := s.origin(ctx, key)
		if where == "" {
			where = "your environment"
		}
		fix = fmt.Sprintf("set %s=%s where it is set (%s)", key, value, where)
	default:
		fix = fmt.Sprintf("run 'go env -w %s=%s'", key, value)
	}
	if why != "" {
		fix = why + ": " + fix
	}
	return fix
}

// whereWords says where key is set, for a message: " (set in …)".
func (s *state) whereWords(ctx context.Context, key string) string {
	if w := s.origin(ctx, key); w != "" {
		return " (set in " + w + ")"
	}
	return ""
}

// replaceEntry puts repl in place of entry in a comma-separated list.
func replaceEntry(list, entry, repl string) string {
	parts := strings.Split(list, ",")
	for i, p := range parts {
		if strings.TrimSpace(p) == entry {
			parts[i] = repl
		}
	}
	return strings.Join(parts, ",")
}

func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func showEmpty(v string) string {
	if v == "" {
		return `""`
	}
	return v
}

// appendList adds a pattern to a comma-separated list.
func appendList(list, pattern string) string {
	if list == "" {
		return pattern
	}
	return list + "," + pattern
}

func itThem(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

//go:build !windows

package doctor_test

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/internal/testdist"
)

// privateWorld is a company project: corp.example/app requires a public
// module the proxy serves and a private one it cannot (410, as
// proxy.golang.org answers for a repository it cannot read). The private
// module's VCS host is reachable only through HTTP_PROXY (a loopback
// server answering go-get pages) and only over http (GOINSECURE): so when
// GOPRIVATE sends it there, go really fetches it, and nothing leaves the
// machine.
func privateWorld(t *testing.T) (*world, *testdist.ModProxy) {
	w := newWorld(t)
	proxy := testdist.NewModProxy(t)
	proxy.Add(t, "example.org/pub", "v1.0.0", map[string]string{"pub.go": "package pub\n"})
	proxy.Gone("corp.example/lib")
	vcs := testdist.NewModProxy(t)
	vcs.Add(t, "corp.example/lib", "v1.0.0", map[string]string{"lib.go": "package lib\n"})
	w.write(filepath.Join(w.work, "go.mod"), "module corp.example/app\n\ngo 1.22\n\nrequire (\n\texample.org/pub v1.0.0\n\tcorp.example/lib v1.0.0\n)\n", 0o644)
	w.vars["GOPROXY"] = proxy.URL
	w.vars["GOSUMDB"] = "off"
	w.vars["GOINSECURE"] = "corp.example"
	w.vars["HTTP_PROXY"] = vcs.URL
	// The doctor stays on loopback too: anything else meets a closed port.
	w.proxy = func(r *http.Request) (*url.URL, error) {
		if r.URL.Hostname() == "127.0.0.1" {
			return nil, nil
		}
		return &url.URL{Scheme: "http", Host: "127.0.0.1:1"}, nil
	}
	return w, proxy
}

func TestPrivateModuleNotOnProxy(t *testing.T) {
	w, _ := privateWorld(t)
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib@v1.0.0", "410 Gone")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "go.mod requires corp.example/lib v1.0.0, which "+w.vars["GOPROXY"]+" (410) does not have", "GOPRIVATE/GONOPROXY do not cover it")
	wantFix(t, r, "if corp.example/lib is private: run 'go env -w GOPRIVATE=corp.example'")

	// Replaced by a folder: nothing to download.
	gomod := filepath.Join(w.work, "go.mod")
	data, _ := os.ReadFile(gomod)
	w.write(gomod, string(data)+"\nreplace corp.example/lib => ./lib\n", 0o644)
	w.write(filepath.Join(w.work, "lib", "go.mod"), "module corp.example/lib\n", 0o644)
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "1 through GOPROXY")
	w.write(gomod, string(data), 0o644)

	// Following the fix: go fetches it from its VCS host.
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "2 modules required by go.mod: 1 through GOPROXY, 1 from their VCS hosts directly (GOPRIVATE=corp.example)")
}

func TestPrivateModuleSumDB(t *testing.T) {
	// GOPROXY ends in direct, so go reaches the VCS host, but then asks
	// the checksum database (here unreachable; sum.golang.org answers 404
	// for a module it cannot see).
	w, _ := privateWorld(t)
	w.vars["GOPROXY"] += ",direct"
	w.vars["GOSUMDB"] = "sum.golang.org"
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib@v1.0.0: verifying go.mod")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "go fetches it from its VCS host, then asks the checksum database")
	wantFix(t, r, "go env -w GOPRIVATE=corp.example")

	// A go.sum that already has it: no question to the database.
	w.write(filepath.Join(w.work, "go.sum"), "corp.example/lib v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", 0o644)
	want(t, w.check("private-modules"), doctor.OK, "1 through GOPROXY, 1 from their VCS hosts directly")
	os.Remove(filepath.Join(w.work, "go.sum"))

	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	w.vars["GOSUMDB"] = "off" // example.org/pub would need the (offline) database
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK)
}

func TestGOPRIVATEAsURL(t *testing.T) {
	w, _ := privateWorld(t)
	w.goWorks("env", "-w", "GOPRIVATE=https://corp.example/*")
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib@v1.0.0", "410 Gone")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "GOPRIVATE entry https://corp.example/* is a URL (set in the go env file", "matches none (not corp.example/lib, which go.mod requires")
	wantFix(t, r, "run 'go env -w GOPRIVATE=corp.example/*'")

	w.goWorks("env", "-w", "GOPRIVATE=corp.example/*")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK)

	// A URL that matches nothing go.mod requires: a warning.
	w.goWorks("env", "-w", "GOPRIVATE=corp.example/*,https://git.other.example")
	want(t, w.check("private-modules"), doctor.Warn, "GOPRIVATE entry https://git.other.example is a URL")
}

func TestGOPRIVATEEverything(t *testing.T) {
	w, proxy := privateWorld(t)
	w.goWorks("env", "-w", "GOPRIVATE=*")
	download := []string{"mod", "download", "all"}
	// example.org/pub goes to its VCS host too, which is not there.
	w.goFails(download, "example.org/pub")
	if n := proxy.Requests("example.org/pub"); n != 0 {
		t.Errorf("go asked the proxy for example.org/pub %d times with GOPRIVATE=*", n)
	}
	r := w.check("private-modules")
	want(t, r, doctor.Warn, "GOPRIVATE=* (set in the go env file", "every module goes around GOPROXY to its VCS host and is checked against no checksum database")
	wantFix(t, r, "run 'go env -w GOPRIVATE=corp.example'")

	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK)
}

func TestGOPRIVATEAroundCompanyProxy(t *testing.T) {
	// The company proxy serves the private module too; GOPRIVATE sends it
	// to the VCS host instead, which this machine cannot reach.
	w, _ := privateWorld(t)
	company := testdist.NewModProxy(t)
	company.Add(t, "example.org/pub", "v1.0.0", map[string]string{"pub.go": "package pub\n"})
	company.Add(t, "corp.example/lib", "v1.0.0", map[string]string{"lib.go": "package lib\n"})
	w.vars["GOPROXY"] = company.URL
	w.vars["HTTP_PROXY"] = "http://127.0.0.1:1"
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib")
	r := w.check("private-modules")
	want(t, r, doctor.Warn, "GOPRIVATE sends corp.example/lib around GOPROXY's "+company.URL+", which serves it")
	wantFix(t, r, "run 'go env -w GONOPROXY=none' so the proxy serves them")

	w.goWorks("env", "-w", "GONOPROXY=none")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "2 through GOPROXY")
}

func TestBaselineRecordsPrivacy(t *testing.T) {
	w, _ := privateWorld(t)
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	before := w.run(doctor.Options{Only: []string{"private-modules"}, Facts: true})
	if got := before.Facts["GOPRIVATE"]; got != "corp.example" {
		t.Fatalf("baseline GOPRIVATE = %q", got)
	}
	b := doctor.NewBaseline(before, time.Now())
	w.goWorks("env", "-w", "GOPRIVATE=*", "GONOSUMDB=corp.example")
	after := w.run(doctor.Options{Only: []string{"private-modules"}, Facts: true})
	drift := doctor.Compare(b, after)
	wantDrift := []doctor.Drift{
		{What: "GOPRIVATE", Was: "corp.example", Now: "*"},
		{What: "GONOSUMDB", Was: "", Now: "corp.example"},
		{What: "check private-modules", Was: "ok", Now: "warn"},
	}
	if !reflect.DeepEqual(drift, wantDrift) {
		t.Errorf("drift = %+v, want %+v", drift, wantDrift)
	}
}

func TestPrivateModuleInCache(t *testing.T) {
	// Downloaded once (GOPRIVATE set then): go here reads the module
	// cache and asks no proxy, so the 410 does not matter on this machine.
	w, proxy := privateWorld(t)
	w.vars["GOMODCACHE"] = filepath.Join(w.home, "go", "pkg", "mod")
	download := []string{"mod", "download", "all"}
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	w.goWorks(download...)
	w.goWorks("env", "-u", "GOPRIVATE")
	before := proxy.Requests("corp.example/lib")
	w.goWorks(download...)
	if n := proxy.Requests("corp.example/lib") - before; n != 0 {
		t.Errorf("go asked the proxy %d times for a cached module", n)
	}
	want(t, w.check("private-modules"), doctor.OK, "2 modules required by go.mod: 2 in the module cache")
}

func TestPrivateModuleVendored(t *testing.T) {
	// Vendored while GOPRIVATE was set: builds here read vendor/ and
	// download nothing; only what downloads fails.
	w, _ := privateWorld(t)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\nimport (\n\t_ \"corp.example/lib\"\n\t_ \"example.org/pub\"\n)\n\nfunc main() {}\n", 0o644)
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	w.goWorks("mod", "tidy")
	w.goWorks("mod", "vendor")
	w.goWorks("env", "-u", "GOPRIVATE")
	w.goWorks("list", "./...")
	w.goFails([]string{"mod", "download", "all"}, "410 Gone")
	r := w.check("private-modules")
	want(t, r, doctor.Warn, "corp.example/lib v1.0.0", "builds here use vendor/ (go.mod says go 1.22 (1.14 or later)", "only commands that download fail")
	wantFix(t, r, "go env -w GOPRIVATE=corp.example")
}

func TestPrivateModuleOnCompanyProxyNotInSumDB(t *testing.T) {
	// The company proxy serves the private module, but nothing exempts it
	// from the checksum database, which has never seen it.
	w := newWorld(t)
	company := testdist.NewModProxy(t)
	company.Add(t, "corp.example/lib", "v1.0.0", map[string]string{"lib.go": "package lib\n"})
	db := testdist.New(t, testdist.Options{})
	w.write(filepath.Join(w.work, "go.mod"), "module corp.example/app\n\ngo 1.22\n\nrequire corp.example/lib v1.0.0\n", 0o644)
	w.vars["GOPROXY"] = company.URL
	w.vars["GOSUMDB"] = db.GOSUMDB
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib@v1.0.0: verifying go.mod", "404 Not Found")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "go.mod requires corp.example/lib v1.0.0, which "+company.URL+" serves, but GONOSUMDB/GOPRIVATE do not cover it", "which does not know it (404)")
	wantFix(t, r, "run 'go env -w GONOSUMDB=corp.example' (the proxy keeps serving them")

	w.goWorks("env", "-w", "GONOSUMDB=corp.example")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "1 module required by go.mod: 1 through GOPROXY")
}

func TestPrivateModuleNotFound(t *testing.T) {
	// A proxy that answers 404 (not 410) for what it does not have.
	w, _ := privateWorld(t)
	empty := testdist.NewModProxy(t)
	empty.Add(t, "example.org/pub", "v1.0.0", map[string]string{"pub.go": "package pub\n"})
	w.vars["GOPROXY"] = empty.URL
	w.goFails([]string{"mod", "download", "all"}, "corp.example/lib@v1.0.0", "404 Not Found")
	want(t, w.check("private-modules"), doctor.Fail, "which "+empty.URL+" (404) does not have")
}

func TestPrivateModuleNotAskedOfPublicProxy(t *testing.T) {
	// GOPRIVATE exists to keep private paths away from public services:
	// the doctor must not ask proxy.golang.org about them either.
	w, _ := privateWorld(t)
	w.write(filepath.Join(w.work, "go.mod"), "module corp.example/app\n\ngo 1.22\n\nrequire corp.example/lib v1.0.0\n", 0o644)
	w.vars["GOPROXY"] = "https://proxy.golang.org,direct"
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	var asked []string
	w.proxy = func(r *http.Request) (*url.URL, error) {
		asked = append(asked, r.URL.String())
		return &url.URL{Scheme: "http", Host: "127.0.0.1:1"}, nil
	}
	want(t, w.check("private-modules"), doctor.OK, "1 from their VCS hosts directly")
	if len(asked) > 0 {
		t.Errorf("the doctor asked %v", asked)
	}
}

func TestPrivateModuleProxyOff(t *testing.T) {
	// GOPROXY=off: go downloads only what GONOPROXY (GOPRIVATE) sends to
	// its VCS host.
	w, _ := privateWorld(t)
	w.write(filepath.Join(w.work, "go.mod"), "module corp.example/app\n\ngo 1.22\n\nrequire corp.example/lib v1.0.0\n", 0o644)
	w.vars["GOPROXY"] = "off"
	download := []string{"mod", "download", "all"}
	w.goFails(download, "module lookup disabled by GOPROXY=off")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "GOPROXY=off lets go download nothing but what GOPRIVATE/GONOPROXY cover")
	wantFix(t, r, "go env -w GOPRIVATE=corp.example")
	w.goWorks("env", "-w", "GOPRIVATE=corp.example")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "1 from their VCS hosts directly")
}

func TestPrivateModulesTogether(t *testing.T) {
	// Two private hosts: one finding, one fix that covers both.
	w := newWorld(t)
	proxy := testdist.NewModProxy(t)
	proxy.Gone("corp.example/lib")
	proxy.Gone("git.other.example/team/util")
	vcs := testdist.NewModProxy(t)
	vcs.Add(t, "corp.example/lib", "v1.0.0", map[string]string{"lib.go": "package lib\n"})
	vcs.Add(t, "git.other.example/team/util", "v1.2.0", map[string]string{"util.go": "package util\n"})
	w.write(filepath.Join(w.work, "go.mod"), "module corp.example/app\n\ngo 1.22\n\nrequire (\n\tcorp.example/lib v1.0.0\n\tgit.other.example/team/util v1.2.0\n)\n", 0o644)
	w.vars["GOPROXY"], w.vars["GOSUMDB"] = proxy.URL, "off"
	w.vars["GOINSECURE"], w.vars["HTTP_PROXY"] = "corp.example,git.other.example", vcs.URL
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib@v1.0.0", "git.other.example/team/util@v1.2.0")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "go.mod requires corp.example/lib v1.0.0", "(so are git.other.example/team/util v1.2.0)")
	wantFix(t, r, "if they are private: run 'go env -w GOPRIVATE=corp.example,git.other.example'")
	w.goWorks("env", "-w", "GOPRIVATE=corp.example,git.other.example")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "2 from their VCS hosts directly")
}

func TestGONOPROXYWithoutGONOSUMDB(t *testing.T) {
	// GONOPROXY alone sends the private module to its VCS host, but go
	// still asks the checksum database about it, which has never seen it.
	w, _ := privateWorld(t)
	db := testdist.New(t, testdist.Options{})
	w.write(filepath.Join(w.work, "go.mod"), "module corp.example/app\n\ngo 1.22\n\nrequire corp.example/lib v1.0.0\n", 0o644)
	w.vars["GOSUMDB"] = db.GOSUMDB
	w.goWorks("env", "-w", "GONOPROXY=corp.example")
	download := []string{"mod", "download", "all"}
	w.goFails(download, "corp.example/lib@v1.0.0: verifying go.mod", "404 Not Found")
	r := w.check("private-modules")
	want(t, r, doctor.Fail, "GONOPROXY sends corp.example/lib v1.0.0 to its VCS host, but GONOSUMDB does not cover it")
	wantFix(t, r, "run 'go env -w GONOSUMDB=corp.example'")
	w.goWorks("env", "-w", "GONOSUMDB=corp.example")
	w.goWorks(download...)
	want(t, w.check("private-modules"), doctor.OK, "1 from their VCS hosts directly")
}

package installer_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/cli"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/verify"
)

// The fault matrix: every misbehaviour the test distribution can put on
// the wire, against each source it means something for. For each one the
// install must end with the right exit code (cli.ExitCode, as the gover
// command maps it) and a one-line error, or succeed, after retries where
// the fault is transient; must install nothing when it fails; and must
// leave the cache unpoisoned: any partial download kept for resuming holds
// only bytes of the genuine file, and the next install, once the fault is
// gone, succeeds.

// faultsTried counts the (fault, source) pairs run, for docs/hardening.md.
var faultsTried atomic.Int64

// A harness is one source of one fresh distribution.
type harness struct {
	*env
	source   string // official, mirror or proxy
	platform installer.Platform
	file     string // the artifact's file name
	path     string // where the source serves it
	asc      string // where its signature is served (official and mirror)
	genuine  []byte // the artifact's true bytes
}

func newHarness(t *testing.T, source string, p installer.Platform) *harness {
	h := &harness{env: newEnv(t, testdist.Options{}), source: source, platform: p}
	h.in.Say = nil
	switch source {
	case "official", "mirror":
		h.file, h.genuine = h.d.Archive("go1.22.5", p.OS, p.Arch)
		h.path = "/dl/" + h.file
		if source == "mirror" {
			h.path = "/mirror/" + h.file
		}
		h.asc = "/dl/" + h.file + ".asc"
	case "proxy":
		mv := testdist.ModuleVersion("go1.22.5", p.OS, p.Arch)
		h.file, h.genuine = mv+".zip", h.d.ModuleZip("go1.22.5", p.OS, p.Arch)
		h.path = testdist.ModulePathPrefix + mv + ".zip"
	}
	return h
}

// src is the source under test, checking signatures as gover does.
func (h *harness) src() installer.Source {
	switch h.source {
	case "official":
		o := h.official()
		o.Signatures = verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: h.d.KeyringPath})
		return o
	case "mirror":
		o := h.official(h.d.MirrorURL + "/")
		o.Signatures = verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: h.d.KeyringPath})
		return o
	}
	return h.proxy(h.d.SumDBKey)
}

func (h *harness) installNow() (*installer.Result, error) {
	return h.in.Install(context.Background(), installer.Request{
		Word: goversion.MustParse("1.22.5"), Platform: h.platform, Host: h.platform == linux, Sources: []installer.Source{h.src()},
	})
}

func (h *harness) part() string { return filepath.Join(h.layout.Downloads(), h.file+".part") }

// checkCache fails if a partial download holds anything but a prefix of
// the genuine file, or survives an error that proved it bad.
func (h *harness) checkCache(err error) {
	h.t.Helper()
	b, rerr := os.ReadFile(h.part())
	if rerr != nil {
		return
	}
	if !bytes.HasPrefix(h.genuine, b) {
		h.t.Errorf("the partial download kept for resuming holds %d bytes that are not the genuine file's", len(b))
	}
	if errors.Is(err, verify.ErrFailed) {
		h.t.Errorf("a download that failed verification was kept (%d bytes)", len(b))
	}
}

// checkInstalled fails unless exactly the genuine toolchain is in place.
func (h *harness) checkInstalled(res *installer.Result) {
	h.t.Helper()
	name := "go1.22.5"
	if h.platform != linux {
		name += "." + h.platform.OS + "-" + h.platform.Arch
	}
	if res == nil || res.Name != name || res.Record == nil || len(res.Record.Proofs) == 0 {
		h.t.Fatalf("result %+v", res)
	}
	if h.source != "proxy" && res.Record.SHA256 != h.d.SHA256(h.file) {
		h.t.Errorf("installed %s, not the genuine %s", res.Record.SHA256, h.d.SHA256(h.file))
	}
	entries, _ := os.ReadDir(h.layout.Versions)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		h.t.Errorf("versions/ holds %v; want the tree and its record", names)
	}
	if _, err := os.Stat(h.part()); !os.IsNotExist(err) {
		h.t.Errorf("the download was left in the cache after the install: %v", err)
	}
}

// A faultCase is one misbehaviour and what gover must make of it.
type faultCase struct {
	name string
	// sources it applies to; nil means all three.
	sources []string
	// platform, if set, replaces linux/amd64 (for Windows zips).
	platform installer.Platform
	// prepare runs before the install: faults, partial files.
	prepare func(h *harness)
	// exit is the exit code the install must map to (0: it succeeds).
	exit int
	// msg must appear in the error (when exit is not 0).
	msg string
	// retried means success needs more than one request for the archive.
	retried bool
	// slower bounds how long the install may take, when the case is about
	// time (a Retry-After honoured or refused); 0: no bound.
	within, atLeast time.Duration
}

var (
	official  = []string{"official", "mirror"}
	proxyOnly = []string{"proxy"}
	windows   = installer.Platform{OS: "windows", Arch: "amd64"}
)

// on puts faults on the artifact. Some faults count requests (FailTimes,
// TooManyRequests), so each run gets fresh ones from mk.
func on(mk func() []testdist.Fault) func(h *harness) {
	return func(h *harness) { h.d.Fault(h.path, mk()...) }
}

// onAsc puts faults on the signature wherever the source looks for it.
func onAsc(mk func() []testdist.Fault) func(h *harness) {
	return func(h *harness) {
		h.d.Fault(h.asc, mk()...)
		if h.source == "mirror" {
			h.d.Fault("/mirror/"+h.file+".asc", mk()...)
		}
	}
}

func onIndex(mk func() []testdist.Fault) func(h *harness) {
	return func(h *harness) { h.d.Fault(testdist.IndexPath, mk()...) }
}

func faults(f ...testdist.Fault) func() []testdist.Fault {
	return func() []testdist.Fault { return f }
}

// fresh is for faults that count requests: a new one per run.
func fresh(mk func() testdist.Fault) func() []testdist.Fault {
	return func() []testdist.Fault { return []testdist.Fault{mk()} }
}

// seedPart leaves a partial download of the given bytes, as a killed run would.
func seedPart(h *harness, b []byte) {
	os.MkdirAll(h.layout.Downloads(), 0o755)
	if err := os.WriteFile(h.part(), b, 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// redirectTo serves the artifact from a second distribution, whose copy is
// altered with alter (nil: the genuine copy).
func redirectTo(alter func([]byte) []byte) func(h *harness) {
	return func(h *harness) {
		other := testdist.New(h.t, testdist.Options{})
		if alter != nil {
			if h.source == "proxy" {
				other.PublishModule("go1.22.5", h.platform.OS, h.platform.Arch, alter(h.genuine))
			} else {
				other.Publish(h.file, alter(h.genuine))
			}
		}
		h.d.Fault(h.path, testdist.RedirectHost(other.URL))
	}
}

func flipMiddle(b []byte) []byte {
	b = append([]byte(nil), b...)
	b[len(b)/2] ^= 0x5a
	return b
}

var faultCases = []faultCase{
	// Connections that break: resumed where they broke, and finished.
	{name: "truncated every time", prepare: on(faults(testdist.Truncate(1000))), retried: true},
	{name: "reset mid-body every time", prepare: on(faults(testdist.ResetAfter(1500))), retried: true},
	{name: "stall past the timeout every time", prepare: func(h *harness) {
		h.d.Fault(h.path, testdist.Stall{After: int64(len(h.genuine) / 3), For: time.Minute})
	}, retried: true},
	{name: "stall with no progress", prepare: on(faults(testdist.Stall{After: 0, For: time.Minute})), exit: cli.ExitUnreachable, msg: "stalled"},
	{name: "slow", prepare: on(faults(testdist.Slow(64 << 10)))},
	{name: "longer body than Content-Length", prepare: on(faults(testdist.LongerBody(1 << 20)))},
	{name: "shorter body, no Content-Length", sources: official, prepare: on(faults(testdist.ShorterBody(100))), exit: cli.ExitUnreachable, msg: "body ended after"},
	{name: "shorter body, no Content-Length", sources: proxyOnly, prepare: on(faults(testdist.ShorterBody(100))), exit: cli.ExitVerify, msg: "not the zip whose h1 hash"},

	// Servers that refuse or fail.
	{name: "503 twice", prepare: on(fresh(func() testdist.Fault { return testdist.FailTimes(2, 503) })), retried: true},
	{name: "500 always", prepare: on(faults(testdist.Status(500))), exit: cli.ExitUnreachable, msg: "500 Internal Server Error"},
	{name: "502 always", prepare: on(fresh(func() testdist.Fault { return testdist.FailTimes(1000, 502) })), exit: cli.ExitUnreachable, msg: "502 Bad Gateway"},
	{name: "429 with Retry-After 1s", prepare: on(fresh(func() testdist.Fault { return testdist.TooManyRequests(time.Second) })), retried: true, atLeast: time.Second},
	{name: "429 with Retry-After an hour", prepare: on(fresh(func() testdist.Fault { return testdist.TooManyRequests(time.Hour) })), exit: cli.ExitUnreachable, msg: "429 Too Many Requests", within: 10 * time.Second},
	{name: "404", prepare: on(faults(testdist.Status(404))), exit: cli.ExitNotFound, msg: "no binary release of go1.22.5"},
	{name: "403", prepare: on(faults(testdist.Status(403))), exit: cli.ExitFailure, msg: "refused access"},
	{name: "407 from an HTTP proxy", prepare: on(faults(testdist.Status(407))), exit: cli.ExitFailure, msg: "wants credentials"},
	{name: "HTML page", prepare: on(faults(testdist.HTML{})), exit: cli.ExitFailure, msg: "got an HTML page where the archive"},

	// Redirects.
	{name: "redirect loop", prepare: on(faults(testdist.RedirectLoop{})), exit: cli.ExitUnreachable, msg: "too many redirects"},
	{name: "redirect to a local file", prepare: on(faults(testdist.RedirectTo("file:///etc/passwd"))), exit: cli.ExitFailure, msg: "follows redirects only to http and https"},
	{name: "redirect to another host, genuine copy", prepare: redirectTo(nil)},
	{name: "redirect to another host, altered copy", prepare: redirectTo(flipMiddle), exit: cli.ExitVerify, msg: "nothing was installed"},

	// Wrong bytes.
	{name: "tampered", prepare: on(faults(testdist.Tamper{})), exit: cli.ExitVerify, msg: "nothing was installed"},
	{name: "gzip bomb in place of the archive", sources: official, prepare: on(faults(testdist.Bomb(1 << 30))), exit: cli.ExitFailure, msg: "larger than expected"},
	{name: "zip bomb in place of the module", sources: proxyOnly, prepare: on(faults(testdist.Bomb(1 << 30))), exit: cli.ExitVerify, msg: "checksum database"},
	{name: "gzip bomb without Content-Length", sources: official, prepare: on(faults(testdist.ShorterBody(0), testdist.Bomb(1<<30))), exit: cli.ExitFailure, msg: "larger than expected"},
	{name: "zip whose central directory lies", sources: proxyOnly, prepare: on(faults(testdist.LyingZip{})), exit: cli.ExitVerify, msg: "checksum database"},
	{name: "zip whose central directory lies", sources: official, platform: windows, prepare: on(faults(testdist.LyingZip{})), exit: cli.ExitVerify, msg: "SHA-256"},
	{name: "wrong digest in the index", sources: official, prepare: func(h *harness) { h.d.Fault(testdist.IndexPath, testdist.WrongDigest(h.file)) }, exit: cli.ExitVerify, msg: "SHA-256"},

	// Resuming.
	{name: "Range ignored while resuming", prepare: func(h *harness) {
		seedPart(h, h.genuine[:len(h.genuine)/2])
		h.d.Fault(h.path, testdist.IgnoreRange{})
	}},
	{name: "Range ignored while resuming a poisoned part", prepare: func(h *harness) {
		seedPart(h, flipMiddle(h.genuine[:len(h.genuine)/2]))
		h.d.Fault(h.path, testdist.IgnoreRange{})
	}},
	{name: "Range ignored and every answer cut", prepare: func(h *harness) {
		h.d.Fault(h.path, testdist.IgnoreRange{}, testdist.Truncate(int64(len(h.genuine)/2)))
	}, exit: cli.ExitUnreachable, msg: "cannot resume it"},
	{name: "resumed from a poisoned part", prepare: func(h *harness) { seedPart(h, flipMiddle(h.genuine[:len(h.genuine)/2])) }},
	{name: "a part longer than the file", sources: official, prepare: func(h *harness) { seedPart(h, append(append([]byte(nil), h.genuine...), "junk"...)) }},

	// The signature (official and mirror).
	{name: "signature 404", sources: official, prepare: onAsc(faults(testdist.Status(404))), exit: cli.ExitVerify, msg: "signature of"},
	{name: "signature tampered", sources: official, prepare: onAsc(faults(testdist.Tamper{})), exit: cli.ExitVerify, msg: "signature of"},
	{name: "signature HTML", sources: official, prepare: onAsc(faults(testdist.HTML{})), exit: cli.ExitVerify, msg: "HTML page"},
	{name: "signature host down", sources: []string{"official"}, prepare: onAsc(fresh(func() testdist.Fault { return testdist.FailTimes(1000, 503) })), exit: cli.ExitUnreachable, msg: "503"},
	{name: "signature truncated every time", sources: official, prepare: onAsc(faults(testdist.Truncate(100))), exit: cli.ExitUnreachable, msg: "unexpected EOF"},

	// The index (official and mirror).
	{name: "index 500", sources: official, prepare: onIndex(faults(testdist.Status(500))), exit: cli.ExitUnreachable, msg: "500"},
	{name: "index HTML", sources: official, prepare: onIndex(faults(testdist.HTML{})), exit: cli.ExitUnreachable, msg: "HTML page where the release index"},
	{name: "index truncated every time", sources: official, prepare: onIndex(faults(testdist.Truncate(1000))), exit: cli.ExitUnreachable, msg: "unexpected EOF"},
	{name: "index bomb", sources: official, prepare: onIndex(faults(testdist.Bomb(1 << 30))), exit: cli.ExitUnreachable, msg: "release index"},

	// The module proxy's other answers and the checksum database.
	{name: "module info 404", sources: proxyOnly, prepare: func(h *harness) {
		h.d.Fault(strings.TrimSuffix(h.path, ".zip")+".info", testdist.Status(404))
	}, exit: cli.ExitNotFound, msg: "the module proxy has no"},
	{name: "checksum database tampered", sources: proxyOnly, prepare: func(h *harness) { h.d.Fault("/proxy/sumdb/*", testdist.Tamper{}) }, exit: cli.ExitVerify, msg: "checksum database"},
	{name: "checksum database cut short", sources: proxyOnly, prepare: func(h *harness) { h.d.Fault("/proxy/sumdb/*", testdist.ShorterBody(20)) }, exit: cli.ExitVerify, msg: "checksum database"},
	{name: "checksum database down", sources: proxyOnly, prepare: func(h *harness) { h.d.Fault("/proxy/sumdb/*", testdist.Status(503)) }, exit: cli.ExitUnreachable, msg: "503"},
	{name: "checksum database redirects to a local file", sources: proxyOnly, prepare: func(h *harness) {
		h.d.Fault("/proxy/sumdb/*", testdist.RedirectTo("file:///etc/passwd"))
	}, exit: cli.ExitFailure, msg: "follows redirects only to http and https"},
}

func TestFaultMatrix(t *testing.T) {
	for _, fc := range faultCases {
		sources := fc.sources
		if sources == nil {
			sources = []string{"official", "mirror", "proxy"}
		}
		p := fc.platform
		if p == (installer.Platform{}) {
			p = linux
		}
		for _, source := range sources {
			t.Run(source+"/"+fc.name, func(t *testing.T) {
				t.Parallel()
				faultsTried.Add(1)
				h := newHarness(t, source, p)
				fc.prepare(h)
				start := time.Now()
				res, err := h.installNow()
				took := time.Since(start)
				if fc.within > 0 && took > fc.within || took < fc.atLeast {
					t.Errorf("took %v; want between %v and %v", took, fc.atLeast, fc.within)
				}
				if got := cli.ExitCode(err); got != fc.exit {
					t.Fatalf("exit code %d, want %d; err = %v", got, fc.exit, err)
				}
				if fc.exit == 0 {
					h.checkInstalled(res)
					if n := h.d.Requests(h.path); fc.retried && n < 2 {
						t.Errorf("%d requests for the archive; the fault was not retried", n)
					}
					return
				}
				if msg := err.Error(); !strings.Contains(msg, fc.msg) || strings.ContainsAny(msg, "\n\r") {
					t.Errorf("error %q: want one line containing %q", msg, fc.msg)
				}
				h.assertNothingInstalled()
				h.checkCache(err)

				// The fault gone, the next install succeeds on what was left.
				h.d.ClearFaults()
				res, err = h.installNow()
				if err != nil {
					t.Fatalf("install after the fault was cleared: %v", err)
				}
				h.checkInstalled(res)
				if stale := installer.Stale(h.layout); len(stale) != 0 {
					t.Errorf("leftovers remain: %v", stale)
				}
			})
		}
	}
	t.Cleanup(func() { t.Logf("%d faults tried (fault × source)", faultsTried.Load()) })
}

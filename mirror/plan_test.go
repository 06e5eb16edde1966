package mirror

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/goverdev/gover/installer"
)

var (
	linux  = installer.Platform{OS: "linux", Arch: "amd64"}
	darwin = installer.Platform{OS: "darwin", Arch: "arm64"}
)

func key(f Format, v string, p installer.Platform) itemKey {
	return itemKey{Format: f, Version: v, Platform: p}
}

func names[T interface{ String() string }](xs []T) string {
	var s []string
	for _, x := range xs {
		s = append(s, x.String())
	}
	return strings.Join(s, " ")
}

func TestDecide(t *testing.T) {
	a22 := key(Archive, "go1.22.5", linux)
	a21 := key(Archive, "go1.21.13", linux)
	m22 := key(Module, "go1.22.5", linux)
	m21 := key(Module, "go1.21.13", darwin)
	for _, tt := range []struct {
		name                   string
		wanted, manifest, held []itemKey
		listed                 []Format
		prune                  bool
		fetch, keep, drop      string
	}{
		{name: "empty mirror fetches all", wanted: []itemKey{a22, m22}, listed: []Format{Archive, Module},
			fetch: "go1.22.5.linux-amd64.tar.gz golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64"},
		{name: "held items are kept, not fetched", wanted: []itemKey{a22, m22}, manifest: []itemKey{a22, m22}, held: []itemKey{a22, m22},
			listed: []Format{Archive, Module}, keep: "go1.22.5.linux-amd64.tar.gz golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64"},
		{name: "a recorded item whose files went missing is fetched again", wanted: []itemKey{a22}, manifest: []itemKey{a22},
			listed: []Format{Archive}, fetch: "go1.22.5.linux-amd64.tar.gz"},
		{name: "no longer selected: kept without prune", wanted: []itemKey{a22}, manifest: []itemKey{a22, a21}, held: []itemKey{a22, a21},
			listed: []Format{Archive}, keep: "go1.22.5.linux-amd64.tar.gz go1.21.13.linux-amd64.tar.gz"},
		{name: "no longer selected: dropped with prune", wanted: []itemKey{a22}, manifest: []itemKey{a22, a21, m21}, held: []itemKey{a22, a21, m21},
			listed: []Format{Archive, Module}, prune: true, keep: "go1.22.5.linux-amd64.tar.gz",
			drop: "go1.21.13.linux-amd64.tar.gz golang.org/toolchain@v0.0.1-go1.21.13.darwin-arm64"},
		{name: "a format that could not be listed is never pruned", wanted: []itemKey{m22}, manifest: []itemKey{a21, m21}, held: []itemKey{a21, m21},
			listed: []Format{Module}, prune: true, fetch: "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64",
			keep: "go1.21.13.linux-amd64.tar.gz", drop: "golang.org/toolchain@v0.0.1-go1.21.13.darwin-arm64"},
		{name: "duplicates count once", wanted: []itemKey{a22, a22}, listed: []Format{Archive}, fetch: "go1.22.5.linux-amd64.tar.gz"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var wanted []Item
			for _, k := range tt.wanted {
				wanted = append(wanted, Item{itemKey: k})
			}
			listed := map[Format]bool{}
			for _, f := range tt.listed {
				listed[f] = true
			}
			fetch, keep, drop := decide(wanted, tt.manifest, func(k itemKey) bool { return slices.Contains(tt.held, k) }, listed, tt.prune)
			if names(fetch) != tt.fetch || names(keep) != tt.keep || names(drop) != tt.drop {
				t.Errorf("fetch %q, keep %q, drop %q\nwant fetch %q, keep %q, drop %q", names(fetch), names(keep), names(drop), tt.fetch, tt.keep, tt.drop)
			}
		})
	}
}

func TestIndexJSON(t *testing.T) {
	if b, err := indexJSON(nil); b != nil || err != nil {
		t.Errorf("an empty mirror has an index: %q, %v", b, err)
	}
	sha := strings.Repeat("ab", 32)
	archives := []ArchiveEntry{
		{Version: "go1.21.13", Stable: true, OS: "linux", Arch: "arm", File: "go1.21.13.linux-armv6l.tar.gz", Size: 10, SHA256: sha},
		{Version: "go1.23rc1", Stable: false, OS: "linux", Arch: "amd64", File: "go1.23rc1.linux-amd64.tar.gz", Size: 11, SHA256: sha},
		{Version: "go1.22.5", Stable: true, OS: "windows", Arch: "amd64", File: "go1.22.5.windows-amd64.zip", Size: 12, SHA256: sha},
		{Version: "go1.22.5", Stable: true, OS: "darwin", Arch: "arm64", File: "go1.22.5.darwin-arm64.tar.gz", Size: 13, SHA256: sha},
	}
	data, err := indexJSON(archives)
	if err != nil {
		t.Fatal(err)
	}
	// gover itself reads it as an official index.
	ix, err := installer.ParseIndex(data)
	if err != nil {
		t.Fatalf("ParseIndex of the mirror's index: %v\n%s", err, data)
	}
	var rels []installer.IndexRelease
	json.Unmarshal(data, &rels)
	var got []string
	for _, r := range rels {
		for _, f := range r.Files {
			got = append(got, r.Version+":"+f.Filename+":"+f.Arch+":"+f.Kind)
		}
	}
	want := "go1.23rc1:go1.23rc1.linux-amd64.tar.gz:amd64:archive go1.22.5:go1.22.5.darwin-arm64.tar.gz:arm64:archive " +
		"go1.22.5:go1.22.5.windows-amd64.zip:amd64:archive go1.21.13:go1.21.13.linux-armv6l.tar.gz:armv6l:archive"
	if strings.Join(got, " ") != want {
		t.Errorf("index lists\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	if rels[0].Stable || !rels[1].Stable {
		t.Errorf("stable flags lost: %+v", rels)
	}
	if len(ix.Releases) != 3 {
		t.Errorf("parsed %d releases", len(ix.Releases))
	}
}

func TestVersionList(t *testing.T) {
	list := versionList([]ModuleEntry{
		{Version: "go1.22.5", Module: "v0.0.1-go1.22.5.linux-amd64"},
		{Version: "go1.21.13", Module: "v0.0.1-go1.21.13.linux-amd64"},
		{Version: "go1.22.5", Module: "v0.0.1-go1.22.5.darwin-arm64"},
	})
	want := "v0.0.1-go1.21.13.linux-amd64\nv0.0.1-go1.22.5.darwin-arm64\nv0.0.1-go1.22.5.linux-amd64\n"
	if string(list) != want {
		t.Errorf("list =\n%s\nwant\n%s", list, want)
	}
}

func TestReHead(t *testing.T) {
	text := []byte("golang.org/toolchain v0.0.1-go1.22.5.linux-amd64 h1:abc=\ngolang.org/toolchain v0.0.1-go1.22.5.linux-amd64/go.mod h1:def=\n")
	rec, _ := tlog.FormatRecord(41, text)
	old := append(rec, "sum.example\n7\nOLDHASH=\n\n— sum.example sig1\n"...)
	head := []byte("sum.example\n9\nNEWHASH=\n\n— sum.example sig2\n")
	got, err := reHead(old, head)
	if err != nil {
		t.Fatal(err)
	}
	id, gotText, rest, err := tlog.ParseRecord(got)
	if err != nil || id != 41 || string(gotText) != string(text) || string(rest) != string(head) {
		t.Errorf("reHead = %q (%d, %q, %q, %v)", got, id, gotText, rest, err)
	}
	if _, err := reHead([]byte("not a record"), head); err == nil {
		t.Error("reHead accepted a malformed answer")
	}
}

package testdist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"go/version"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// An Entry is one file, folder or link of an archive built by TarGz or Zip.
type Entry struct {
	// Name is the slash-separated path inside the archive, used as given
	// (so hardening tests can write "../x", "/abs" or `go\bin`).
	Name string
	// Mode holds the permission bits and the type: fs.ModeDir,
	// fs.ModeSymlink (Link is the target), or neither for a regular file.
	Mode fs.FileMode
	Body []byte
	Link string
	// Hardlink makes a tar hard link to Link (ignored by Zip).
	Hardlink bool
}

// TarGz writes entries as a gzip-compressed tar stream, as Go's Unix
// archives are (GNU tar, so no PAX headers for short names).
func TarGz(entries []Entry, mtime time.Time) []byte {
	var buf bytes.Buffer
	// No name or mtime in the gzip header keeps archives byte-for-byte
	// reproducible, which the sha256 in the index relies on.
	gz, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{
			Name:    e.Name,
			Mode:    int64(e.Mode.Perm()),
			ModTime: mtime,
			Uname:   "root",
			Gname:   "root",
			Format:  tar.FormatGNU,
		}
		switch {
		case e.Mode&fs.ModeDir != 0:
			h.Typeflag = tar.TypeDir
			if !strings.HasSuffix(h.Name, "/") {
				h.Name += "/"
			}
		case e.Mode&fs.ModeSymlink != 0:
			h.Typeflag = tar.TypeSymlink
			h.Linkname = e.Link
		case e.Hardlink:
			h.Typeflag = tar.TypeLink
			h.Linkname = e.Link
		default:
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.Body))
		}
		if err := tw.WriteHeader(h); err != nil {
			panic(fmt.Sprintf("testdist: tar entry %q: %v", e.Name, err))
		}
		tw.Write(e.Body)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// Zip writes entries as a zip archive, deflated, as Go's Windows archives
// are. Unix modes are recorded only when withModes is set.
func Zip(entries []Entry, mtime time.Time, withModes bool) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: mtime}
		if e.Mode&fs.ModeDir != 0 && !strings.HasSuffix(h.Name, "/") {
			h.Name += "/"
			h.Method = zip.Store
		}
		if withModes || e.Mode&fs.ModeSymlink != 0 {
			h.SetMode(e.Mode)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			panic(fmt.Sprintf("testdist: zip entry %q: %v", e.Name, err))
		}
		if e.Mode&fs.ModeSymlink != 0 {
			w.Write([]byte(e.Link))
		} else {
			w.Write(e.Body)
		}
	}
	zw.Close()
	return buf.Bytes()
}

// A platform is a Go GOOS/GOARCH pair.
type platform struct{ goos, goarch string }

func parsePlatform(s string) (platform, error) {
	goos, goarch, ok := strings.Cut(s, "/")
	if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
		return platform{}, fmt.Errorf("parse platform %q: want GOOS/GOARCH, like linux/amd64", s)
	}
	return platform{goos, goarch}, nil
}

func (p platform) String() string { return p.goos + "/" + p.goarch }

// DownloadArch turns a Go GOARCH into the arch word of download file
// names: only arm differs (Go's release builds for arm are ARMv6).
func DownloadArch(goarch string) string {
	if goarch == "arm" {
		return "armv6l"
	}
	return goarch
}

// ArchiveName is the official file name of a release archive:
// go1.22.5.linux-amd64.tar.gz, go1.22.5.linux-armv6l.tar.gz,
// go1.22.5.windows-amd64.zip.
func ArchiveName(goVersion, goos, goarch string) string {
	ext := ".tar.gz"
	if goos == "windows" {
		ext = ".zip"
	}
	return goVersion + "." + goos + "-" + DownloadArch(goarch) + ext
}

// ModuleVersion is the golang.org/toolchain module version of a release:
// v0.0.1-go1.22.5.linux-amd64 (Go arch names here: arm, not armv6l).
func ModuleVersion(goVersion, goos, goarch string) string {
	return "v0.0.1-" + goVersion + "." + goos + "-" + goarch
}

// ToolchainModule is the module path cmd/go downloads toolchains as.
const ToolchainModule = "golang.org/toolchain"

// treeOptions says what goes into a fake toolchain beyond the basics.
type treeOptions struct {
	extraFiles   int
	windowsGoExe []byte
}

// toolchainTree lays out a small fake GOROOT under go/, deterministic for a
// given release, platform and options. Folders are implied by file paths,
// as in the real archives' zip form.
func toolchainTree(rel Release, p platform, o treeOptions) ([]Entry, error) {
	v := rel.Version
	exe := ""
	if p.goos == "windows" {
		exe = ".exe"
	}
	var files []Entry
	add := func(name string, mode fs.FileMode, body string) {
		files = append(files, Entry{Name: "go/" + name, Mode: mode, Body: []byte(body)})
	}

	// Releases before go1.21 had a bare VERSION file with no newline.
	if version.Compare(v, "go1.21rc1") >= 0 {
		add("VERSION", 0o644, v+"\ntime "+rel.date().Format(time.RFC3339)+"\n")
	} else {
		add("VERSION", 0o644, v)
	}
	add("LICENSE", 0o644, "Copyright 2009 The Go Authors.\n\n(fake toolchain for gover's tests)\n")
	add("README.md", 0o644, "# The Go Programming Language\n\nA fake "+v+" made by gover's internal/testdist.\n")
	add("go.env", 0o644, "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\n")

	var err error
	prog := func(name, script string) {
		body, perr := program(p, script)
		if perr != nil && err == nil {
			err = perr
		}
		files = append(files, Entry{Name: "go/" + name, Mode: 0o755, Body: body})
	}
	if exe == "" {
		prog("bin/go", goScript(v, p))
		prog("bin/gofmt", gofmtScript)
	} else if o.windowsGoExe != nil {
		files = append(files, Entry{Name: "go/bin/go.exe", Mode: 0o755, Body: o.windowsGoExe})
		prog("bin/gofmt.exe", "fake gofmt.exe "+v+"\n")
	} else {
		prog("bin/go.exe", "fake go.exe "+v+" "+p.String()+"\n")
		prog("bin/gofmt.exe", "fake gofmt.exe "+v+"\n")
	}
	tool := "pkg/tool/" + p.goos + "_" + p.goarch + "/"
	prog(tool+"compile"+exe, "#!/bin/sh\necho \"fake compile "+v+": $*\"\n")
	prog(tool+"link"+exe, "#!/bin/sh\necho \"fake link "+v+": $*\"\n")
	add("pkg/include/textflag.h", 0o644, "#define NOSPLIT 4\n")

	minor := minorOf(v)
	add("src/go.mod", 0o644, "module std\n\ngo "+minor+"\n")
	add("src/cmd/go.mod", 0o644, "module cmd\n\ngo "+minor+"\n")
	add("src/cmd/go/main.go", 0o644, "// Command go is a fake.\npackage main\n\nfunc main() {}\n")
	add("src/fmt/print.go", 0o644, "package fmt\n\nfunc Println(a ...any) (int, error) { return 0, nil }\n")
	add("src/runtime/extern.go", 0o644, "package runtime\n\nconst GOOS = \""+p.goos+"\"\n")
	add("src/cmd/go/testdata/mod/example.com_x_v1.0.0.txt", 0o644, "-- .mod --\nmodule example.com/x\n")
	add("lib/time/README", 0o644, "The zoneinfo.zip archive would be here.\n")
	// The module zip leaves these four folders out.
	add("api/go1.txt", 0o644, "pkg fmt, func Println(...interface{}) (int, error)\n")
	add("doc/go_spec.html", 0o644, "<!--{\n\t\"Title\": \"The Go Programming Language Specification\"\n}-->\n")
	add("misc/wasm/wasm_exec.js", 0o644, "\"use strict\";\n")
	add("test/helloworld.go", 0o644, "// run\n\npackage main\n\nfunc main() { println(\"hello, world\") }\n")

	for i := range o.extraFiles {
		name := fmt.Sprintf("src/bulk/p%03d/f%05d.go", i/100, i)
		add(name, 0o644, fmt.Sprintf("package p%03d\n\n// F%d is filler so archives have some size.\nconst F%d = %q\n", i/100, i, i, strings.Repeat("x", 64+i%128)))
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, err
}

// minorOf turns go1.22.5 or go1.23rc1 into 1.22, for go.mod go lines.
func minorOf(v string) string {
	lang := version.Lang(v)
	return strings.TrimPrefix(lang, "go")
}

// withDirs adds the folder entries tar archives carry before their files.
func withDirs(files []Entry) []Entry {
	seen := map[string]bool{}
	var out []Entry
	for _, f := range files {
		var dirs []string
		for d := path.Dir(f.Name); d != "." && !seen[d]; d = path.Dir(d) {
			seen[d] = true
			dirs = append(dirs, d)
		}
		for i := len(dirs) - 1; i >= 0; i-- {
			out = append(out, Entry{Name: dirs[i] + "/", Mode: fs.ModeDir | 0o755})
		}
		out = append(out, f)
	}
	return out
}

// moduleEntries turns a go/ tree into the golang.org/toolchain module's
// files: the prefix replaced, api/ doc/ misc/ test/ dropped, nested go.mod
// files renamed _go.mod so the zip stays one module.
func moduleEntries(tree []Entry, modVersion string) []Entry {
	prefix := ToolchainModule + "@" + modVersion + "/"
	var out []Entry
	for _, e := range tree {
		rel := strings.TrimPrefix(e.Name, "go/")
		top, _, _ := strings.Cut(rel, "/")
		switch top {
		case "api", "doc", "misc", "test":
			continue
		}
		if path.Base(rel) == "go.mod" {
			rel = path.Join(path.Dir(rel), "_go.mod")
		}
		e.Name = prefix + rel
		out = append(out, e)
	}
	return out
}

// goScript is a POSIX sh stand-in for bin/go that answers what gover and
// cmd/go ask a toolchain: version and env.
func goScript(v string, p platform) string {
	return `#!/bin/sh
# Fake go command made by gover's internal/testdist.
# Like the real one, it finds its GOROOT from its own path, links resolved.
self=$0
while [ -L "$self" ]; do
	link=$(readlink "$self")
	case "$link" in
	/*) self=$link ;;
	*) self=$(dirname "$self")/$link ;;
	esac
done
goroot=${GOROOT:-$(cd "$(dirname "$self")/.." && pwd -P)}
case "$1" in
version)
	echo "go version ` + v + ` ` + p.String() + `"
	;;
env)
	shift
	val() {
		case "$1" in
		GOROOT) echo "$goroot" ;;
		GOVERSION) echo "` + v + `" ;;
		GOOS) echo "` + p.goos + `" ;;
		GOARCH) echo "` + p.goarch + `" ;;
		GOTOOLCHAIN) echo "${GOTOOLCHAIN:-auto}" ;;
		GOPATH) echo "${GOPATH:-$HOME/go}" ;;
		GOPROXY) echo "${GOPROXY:-https://proxy.golang.org,direct}" ;;
		GOSUMDB) echo "${GOSUMDB:-sum.golang.org}" ;;
		GOFLAGS) echo "$GOFLAGS" ;;
		CGO_ENABLED) echo "${CGO_ENABLED:-1}" ;;
		GOTOOLDIR) echo "$goroot/pkg/tool/` + p.goos + `_` + p.goarch + `" ;;
		*) echo "" ;;
		esac
	}
	all="GOARCH GOFLAGS GOOS GOPATH GOPROXY GOROOT GOSUMDB GOTOOLCHAIN GOTOOLDIR GOVERSION CGO_ENABLED"
	if [ "$1" = "-json" ]; then
		shift
		[ $# -eq 0 ] && set -- $all
		sep="{"
		for k in "$@"; do
			printf '%s\n\t"%s": "%s"' "$sep" "$k" "$(val "$k")"
			sep=","
		done
		printf '\n}\n'
	elif [ $# -eq 0 ]; then
		for k in $all; do
			echo "$k='$(val "$k")'"
		done
	else
		for k in "$@"; do
			val "$k"
		done
	fi
	;;
*)
	echo "fake go ` + v + `: $*"
	;;
esac
exit 0
`
}

// gofmtScript formats nothing: it copies stdin to stdout, or names the files.
const gofmtScript = `#!/bin/sh
# Fake gofmt made by gover's internal/testdist.
if [ $# -eq 0 ]; then
	exec cat
fi
echo "fake gofmt: $*"
exit 0
`

package release

// PowerShell does not run on these machines, so install.ps1 is checked as
// text: its delimiters balance the way PowerShell reads them, it keeps to
// what Windows PowerShell 5.1 understands, and it agrees with the release
// layout, install.sh and action.yml.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func readPS1(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "install.ps1"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// psCheck reports the first unbalanced delimiter or unterminated string
// or comment in PowerShell source.
func psCheck(src string) error {
	s := &psScanner{src: src}
	if err := s.code(0); err != nil {
		return err
	}
	if s.pos < len(s.src) {
		return s.errorf("unexpected %q", s.src[s.pos])
	}
	return nil
}

type psScanner struct {
	src string
	pos int
}

func (s *psScanner) errorf(format string, args ...any) error {
	line := 1 + strings.Count(s.src[:min(s.pos, len(s.src))], "\n")
	return fmt.Errorf("install.ps1:%d: %s", line, fmt.Sprintf(format, args...))
}

var psClosers = map[byte]byte{'(': ')', '{': '}', '[': ']'}

// code scans code until the closer it was opened for (0: the end).
func (s *psScanner) code(closer byte) error {
	start := s.pos
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		switch {
		case c == closer:
			s.pos++
			return nil
		case c == ')' || c == '}' || c == ']':
			return s.errorf("%q closes nothing here", c)
		case psClosers[c] != 0:
			s.pos++
			if err := s.code(psClosers[c]); err != nil {
				return err
			}
			continue
		case strings.HasPrefix(s.src[s.pos:], "<#"):
			end := strings.Index(s.src[s.pos:], "#>")
			if end < 0 {
				return s.errorf("unterminated <# comment")
			}
			s.pos += end + 2
			continue
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
			continue
		case strings.HasPrefix(s.src[s.pos:], "@'\n") || strings.HasPrefix(s.src[s.pos:], "@\"\n"):
			end := strings.Index(s.src[s.pos+3:], "\n"+s.src[s.pos+1:s.pos+2]+"@")
			if end < 0 {
				return s.errorf("unterminated here-string")
			}
			s.pos += 3 + end + 3
			continue
		case c == '\'':
			s.pos++
			for {
				end := strings.IndexByte(s.src[s.pos:], '\'')
				if end < 0 {
					return s.errorf("unterminated '-string")
				}
				s.pos += end + 1
				if s.pos < len(s.src) && s.src[s.pos] == '\'' {
					s.pos++ // '' is a quote inside the string
					continue
				}
				break
			}
			continue
		case c == '"':
			s.pos++
			if err := s.doubleQuoted(); err != nil {
				return err
			}
			continue
		case c == '`':
			s.pos += 2 // an escaped character, or a line continuation
			continue
		}
		s.pos++
	}
	if closer != 0 {
		s.pos = start
		return s.errorf("%q opened here is never closed", map[byte]byte{')': '(', '}': '{', ']': '['}[closer])
	}
	return nil
}

// doubleQuoted scans an expandable string, with its $( ) subexpressions.
func (s *psScanner) doubleQuoted() error {
	for s.pos < len(s.src) {
		switch c := s.src[s.pos]; {
		case c == '`':
			s.pos += 2
		case c == '"':
			s.pos++
			if s.pos < len(s.src) && s.src[s.pos] == '"' {
				s.pos++ // "" is a quote inside the string
				continue
			}
			return nil
		case strings.HasPrefix(s.src[s.pos:], "$("):
			s.pos += 2
			if err := s.code(')'); err != nil {
				return err
			}
		default:
			s.pos++
		}
	}
	return s.errorf("unterminated \"-string")
}

func TestPSCheckFindsMistakes(t *testing.T) {
	for _, src := range []string{
		"function f {\n  $x = 1\n",
		"$a = 'open\n",
		"Write-Host \"a $(b \"c\" d\"\n",
		"if ($x) { y }}\n",
		"<# never closed\n",
		"$x = @'\nnever closed\n",
	} {
		if err := psCheck(src); err == nil {
			t.Errorf("psCheck(%q) found nothing", src)
		}
	}
	for _, src := range []string{
		"Write-Host \"a $(f \"x)\" (y)) b\" # ) in a comment\n",
		"$s = 'it''s'; $t = \"say \"\"hi\"\"\"\n",
		"$h = @'\n{ ( [ not code\n'@\n",
		"<# { #> $x = `\n  1\n",
	} {
		if err := psCheck(src); err != nil {
			t.Errorf("psCheck(%q): %v", src, err)
		}
	}
}

func TestInstallPS1Parses(t *testing.T) {
	if err := psCheck(readPS1(t)); err != nil {
		t.Fatal(err)
	}
}

// TestInstallPS1Windows51 keeps install.ps1 to what Windows PowerShell 5.1
// runs: it reads a file without a byte order mark as the ANSI code page, and
// knows none of PowerShell 7's newer syntax.
func TestInstallPS1Windows51(t *testing.T) {
	src := readPS1(t)
	for i, r := range src {
		if r > 0x7e || r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			t.Fatalf("install.ps1 byte %d is %q: keep it ASCII, which 5.1 reads the same in any code page", i, r)
		}
	}
	code := stripPSStringsAndComments(src)
	for _, bad := range []struct{ re, why string }{
		{`\?\?`, "?? and ??= are PowerShell 7"},
		{`\?\.|\?\[`, "?. and ?[] are PowerShell 7"},
		{`[ \t](&&|\|\|)[ \t]`, "&& and || between commands are PowerShell 7"},
		{`[ \t]\?[ \t][^:\n]*[ \t]:[ \t]`, "the ternary operator is PowerShell 7"},
		{`(?i)\$Is(Windows|Linux|MacOS)\b`, "$IsWindows and friends are PowerShell 6"},
		{`(?i)-SkipCertificateCheck|-Resume\b|-Parallel\b|ConvertFrom-Json\s+-AsHashtable`, "PowerShell 7 parameters"},
		{`(?i)\bclass\s+\w+`, "classes are not loaded the same way under irm | iex"},
	} {
		if m := regexp.MustCompile(bad.re).FindString(code); m != "" {
			t.Errorf("install.ps1 has %q: %s", m, bad.why)
		}
	}
}

// stripPSStringsAndComments blanks out comments and string contents, so
// syntax checks look at code only.
func stripPSStringsAndComments(src string) string {
	// One pass, so whichever of a comment or a string starts first wins.
	re := regexp.MustCompile("(?s)<#.*?#>|#[^\n]*|'(?:[^']|'')*'|\"(?:[^\"`]|`.)*\"")
	return re.ReplaceAllStringFunc(src, func(m string) string {
		if m[0] == '#' || m[0] == '<' {
			return ""
		}
		return m[:1] + m[:1]
	})
}

// TestInstallPS1Agrees checks install.ps1 against the release layout,
// install.sh's behaviour, and the way action.yml calls it.
func TestInstallPS1Agrees(t *testing.T) {
	src := readPS1(t)
	for _, want := range []struct{ text, why string }{
		// The release layout.
		{`$asset = "gover_windows_$arch.zip"`, "archive name, as AssetName says: " + AssetName(Platform{"windows", "amd64"})},
		{`$Checksums = '` + Checksums + `'`, "the checksums file"},
		{`'X64' { return 'amd64' }`, "x64 machines get amd64"},
		{`'AMD64' { return 'amd64' }`, "AMD64 machines get amd64"},
		{`'ARM64' { return 'arm64' }`, "arm64 machines get arm64"},
		{`"$Repo/releases/download/$Version"`, "a tagged release, as install.sh --version"},
		{`"$Repo/releases/latest/download"`, "the latest release, as install.sh"},
		{`[string]$ReleaseUrl = $env:GOVER_RELEASE_URL`, "GOVER_RELEASE_URL, as install.sh"},
		{`[string]$InstallDir = $env:GOVER_INSTALL_DIR`, "GOVER_INSTALL_DIR, as install.sh"},
		// What proves the download, and what happens when it fails.
		{`Get-FileHash -LiteralPath $zip -Algorithm SHA256`, "the archive is hashed"},
		{`if ($got -ne $want) {`, "and compared"},
		{`(the download was altered or corrupted; nothing was installed)" 3`, "exit code 3, as install.sh and gover"},
		{`if ($PSCommandPath) { exit $code }`, "never exit under irm | iex"},
		// Where it goes, and setup.
		{`Join-Path (Join-Path $env:LOCALAPPDATA 'gover') 'bin'`, "user-local under LOCALAPPDATA"},
		{`& $gover setup`, "then gover setup, which edits the user PATH"},
		{`Move-Item -LiteralPath $to -Destination $aside`, "a running gover.exe is renamed aside, not overwritten"},
		{`[Net.SecurityProtocolType]::Tls12`, "TLS 1.2 on 5.1"},
		{`$ProgressPreference = 'SilentlyContinue'`, "no slow progress bar on 5.1"},
	} {
		if !strings.Contains(src, want.text) {
			t.Errorf("install.ps1 lacks %q (%s)", want.text, want.why)
		}
	}
	// The checksum is looked up before the archive is downloaded.
	if strings.Index(src, `Save-Url "$base/$Checksums"`) > strings.Index(src, `Save-Url "$base/$asset"`) {
		t.Errorf("install.ps1 downloads the archive before the checksums")
	}
	if i, j := strings.Index(src, "if ($got -ne $want)"), strings.Index(src, "Install-File $from $dir $exe"); i < 0 || j < 0 || i > j {
		t.Errorf("install.ps1 installs before it compares the digest")
	}

	// action.yml's Windows step passes parameters install.ps1 has.
	params := regexp.MustCompile(`(?s)^.*?\nparam\((.*?)\n\)`).FindStringSubmatch(src)
	if params == nil {
		t.Fatal("install.ps1 has no param() block")
	}
	action, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	call := regexp.MustCompile(`install\.ps1"((?: -\w+(?: \$\S+)?)+)`).FindStringSubmatch(string(action))
	if call == nil {
		t.Fatal("action.yml does not run install.ps1")
	}
	for _, p := range regexp.MustCompile(`-(\w+)`).FindAllStringSubmatch(call[1], -1) {
		if !regexp.MustCompile(`\$` + p[1] + `\b`).MatchString(params[1]) {
			t.Errorf("action.yml passes -%s, which install.ps1's param() lacks", p[1])
		}
	}
}

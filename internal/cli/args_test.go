package cli

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// TestArrange: every command's flags move ahead of its arguments, with
// their values; "--" ends the flags; exec's command line is left as typed;
// unknown commands and flags are usage errors.
func TestArrange(t *testing.T) {
	app := NewApp(&Env{Stdout: io.Discard, Stderr: io.Discard})
	for _, tc := range []struct{ in, want string }{
		{"install 1.22.5 --force", "install --force 1.22.5"},
		{"install 1.22.5 1.21 --source official -q", "install --source official -q 1.22.5 1.21"},
		{"install --source=proxy 1.22.5", "install --source=proxy 1.22.5"},
		{"install 1.22.5 --source --force", "install --source --force 1.22.5"}, // --force is --source's value
		{"verify 1.22.5 --json", "verify --json 1.22.5"},
		{"rm 1.22.5 --force", "rm --force 1.22.5"},
		{"use 1.22 -g", "use -g 1.22"},
		{"prune --keep -1", "prune --keep -1"},
		{"mirror sync dir --versions 1.22 --dry-run", "mirror sync --versions 1.22 --dry-run dir"},
		{"system status --json", "system status --json"},
		{"system --json", "system --json"},
		{"init bash --hook", "init --hook bash"},
		{"install -- --force", "install -- --force"},
		{"install 1.22.5 -- -x", "install -- 1.22.5 -x"},
		{"install - --force", "install --force -"},
		{"exec go build -v", "exec go build -v"},
		{"exec --version 1.22.5 -- go version -v", "exec --version 1.22.5 -- go version -v"},
		{"install 1.22.5 --help", "install --help"},
		{"--help install", "--help install"},
		{"help install --help", "help --help"},
		{"-v", "-v"},
		{"", ""},
		{"instal --generate-bash-completion", "instal --generate-bash-completion"},
	} {
		got, err := arrange(app, append([]string{"gover"}, strings.Fields(tc.in)...))
		if want := append([]string{"gover"}, strings.Fields(tc.want)...); err != nil || !slices.Equal(got, want) {
			t.Errorf("arrange(%q) = %q, %v; want %q", tc.in, got, err, want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"instal 1.22.5", `unknown command "instal" (did you mean "install"?) (see 'gover --help')`},
		{"ls-remot", `unknown command "ls-remot" (did you mean "ls-remote"?) (see 'gover --help')`},
		{"frobnicate", `unknown command "frobnicate" (see 'gover --help')`},
		{"mirror snyc dir", `unknown command "mirror snyc" (did you mean "sync"?) (see 'gover mirror --help')`},
		{"install --bogus", "unknown flag --bogus (see 'gover install --help')"},
		{"install 1.22.5 --bogus=1", "unknown flag --bogus (see 'gover install --help')"},
		{"--bogus", "unknown flag --bogus (see 'gover --help')"},
		{"install --version", "unknown flag --version (see 'gover install --help')"},
		{"mirror --versions 1.22 sync dir", "unknown flag --versions (see 'gover mirror --help')"},
		{"exec --bogus go", "unknown flag --bogus (see 'gover exec --help')"},
		{"install 1.22.5 --source", "flag --source needs a value (see 'gover install --help')"},
	} {
		_, err := arrange(app, append([]string{"gover"}, strings.Fields(tc.in)...))
		if err == nil || err.Error() != tc.want || ExitCode(err) != ExitUsage {
			t.Errorf("arrange(%q) error = %v (exit %d); want %q, exit 2", tc.in, err, ExitCode(err), tc.want)
		}
	}
}

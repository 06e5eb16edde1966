package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// urfave/cli v2 stops reading flags at a command's first argument, so
// 'gover install 1.22.5 --force' would take "--force" for a version.
// arrange reads the command line against the command tree's own flag
// definitions first, as one pass for every command: it finds the command,
// moves each flag (with its value) ahead of the arguments, and refuses an
// unknown command or flag as a usage error. After "--" every word is an
// argument. The parser then reads what it expects.

// commandLineTails are the commands whose arguments after the first are
// another program's command line, left exactly as typed ('gover exec go
// build -v': -v is go's).
var commandLineTails = []string{"exec"}

// completeFlag is what a shell's completion appends to ask urfave/cli for
// candidates; such a command line is incomplete by nature and is passed
// through as it is.
const completeFlag = "--generate-bash-completion"

// arrange returns args (args[0] the program) with every command's flags
// before its arguments, or a usage error naming an unknown command or
// flag, or a flag that lacks its value.
func arrange(app *cli.App, args []string) ([]string, error) {
	if len(args) < 2 || slices.Contains(args, completeFlag) {
		return args, nil
	}
	r := arranger{out: []string{args[0]}, path: []string{app.Name}, flags: app.Flags}
	rest := args[1:]
	subs := app.Commands
	tail := false
	for len(subs) > 0 {
		// The flags ahead of a command's name belong to its parent.
		n, err := r.leadingFlags(rest)
		if err != nil {
			return nil, err
		}
		if rest = rest[n:]; len(rest) == 0 {
			return r.out, nil
		}
		cmd := findCommand(subs, rest[0])
		if cmd == nil {
			return nil, unknownCommand(append(r.path[1:], rest[0]), subs)
		}
		tail = len(r.path) == 1 && slices.Contains(commandLineTails, cmd.Name)
		r.out = append(r.out, rest[0])
		r.path = append(r.path, cmd.Name)
		r.flags, subs, rest = cmd.Flags, cmd.Subcommands, rest[1:]
	}
	if tail {
		n, err := r.leadingFlags(rest)
		if err != nil {
			return nil, err
		}
		return append(r.out, rest[n:]...), nil
	}
	// A leaf command: its flags and arguments come in any order.
	var positional []string
	for i := 0; i < len(rest); {
		switch w := rest[i]; {
		case w == "--":
			positional = append(positional, rest[i+1:]...)
			i = len(rest)
		case isFlag(w):
			n, err := r.flag(rest[i:])
			if err != nil {
				return nil, err
			}
			i += n
		default:
			positional = append(positional, w)
			i++
		}
	}
	if r.help {
		// Help shows the command's help, whatever its arguments.
		return r.out, nil
	}
	// A "--" keeps an argument that starts with a dash an argument.
	if slices.ContainsFunc(positional, func(a string) bool { return len(a) > 1 && a[0] == '-' }) {
		r.out = append(r.out, "--")
	}
	return append(r.out, positional...), nil
}

// An arranger is arrange's state: what it has written, the command it
// is in (its path from "gover") and that command's flags.
type arranger struct {
	out   []string
	path  []string
	flags []cli.Flag
	help  bool // a help flag was given
}

// leadingFlags reads the flags before rest's first argument (or "--")
// and returns how many words it read.
func (r *arranger) leadingFlags(rest []string) (int, error) {
	i := 0
	for i < len(rest) && isFlag(rest[i]) {
		n, err := r.flag(rest[i:])
		if err != nil {
			return 0, err
		}
		i += n
	}
	return i, nil
}

// flag reads the flag rest starts with, and its value when it takes one
// and has no "=value"; it returns how many words that was.
func (r *arranger) flag(rest []string) (int, error) {
	w := rest[0]
	spelled, _, hasValue := strings.Cut(w, "=")
	takesValue, ok := lookupFlag(r.flags, strings.TrimLeft(spelled, "-"), len(r.path) == 1)
	if !ok {
		return 0, usageErrorf("unknown flag %s (see '%s --help')", spelled, strings.Join(r.path, " "))
	}
	r.help = r.help || slices.Contains(cli.HelpFlag.Names(), strings.TrimLeft(spelled, "-"))
	if !takesValue || hasValue {
		r.out = append(r.out, w)
		return 1, nil
	}
	if len(rest) == 1 {
		return 0, usageErrorf("flag %s needs a value (see '%s --help')", w, strings.Join(r.path, " "))
	}
	r.out = append(r.out, w, rest[1])
	return 2, nil
}

// isFlag: "-x", "--name", "--name=value"; a lone "-" is an argument
// (standard input), "--" ends the flags.
func isFlag(w string) bool { return len(w) > 1 && w[0] == '-' && w != "--" }

// lookupFlag finds name among flags (and the help flag every command
// has, and the root's version flag); takesValue says whether the next
// word is its value.
func lookupFlag(flags []cli.Flag, name string, root bool) (takesValue, ok bool) {
	all := append(slices.Clip(flags), cli.HelpFlag)
	if root {
		all = append(all, cli.VersionFlag)
	}
	for _, f := range all {
		if slices.Contains(f.Names(), name) {
			v, _ := f.(interface{ TakesValue() bool })
			return v != nil && v.TakesValue(), true
		}
	}
	return false, false
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// unknownCommand is the usage error for a command gover does not have,
// with the one it most likely meant.
func unknownCommand(path []string, cmds []*cli.Command) error {
	typed := path[len(path)-1]
	best, dist := "", 3
	for _, c := range cmds {
		if c.Hidden {
			continue
		}
		for _, n := range c.Names() {
			if d := editDistance(typed, n); d < dist && d < len(n)/2+1 {
				best, dist = n, d
			}
		}
	}
	msg := fmt.Sprintf("unknown command %q", strings.Join(path, " "))
	if best != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", best)
	}
	return usageErrorf("%s (see 'gover %s--help')", msg, strings.Join(append(slices.Clip(path[:len(path)-1]), ""), " "))
}

// editDistance counts the insertions, deletions, substitutions and
// swaps of neighbours that turn a into b (optimal string alignment).
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

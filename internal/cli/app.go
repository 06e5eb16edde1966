// Package cli is gover's command line: the urfave/cli app, one file per
// command, and the one place where errors become exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/verify"
)

// Exit codes (SPEC.md, "Exit codes").
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitVerify      = 3
	ExitNotFound    = 4
	ExitUnreachable = 5
)

// Main runs gover with args and returns the exit code. Ending ctx stops
// the command, which cleans up what it started; when ctx ended with an
// Interrupt as its cause (cmd/gover's signal handling), the exit code is
// the one shells give a process the signal ended.
func Main(ctx context.Context, args []string, e *Env) int {
	app := NewApp(e)
	args, err := arrange(app, args)
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err == nil {
		return ExitOK
	}
	var intr Interrupt
	interrupted := errors.As(context.Cause(ctx), &intr)
	code := ExitCode(err)
	if interrupted {
		code = intr.ExitCode()
	}
	if !errors.Is(err, errSilent) {
		printError(e, err, interrupted)
	}
	return code
}

// An Interrupt is the cause of a context a signal ended: Ctrl-C (SIGINT)
// or SIGTERM asked gover to stop.
type Interrupt struct {
	Signal syscall.Signal
}

func (i Interrupt) Error() string { return "interrupted by " + i.Signal.String() }

// ExitCode is 128 plus the signal's number (130 for Ctrl-C, 143 for
// SIGTERM), as shells and CI runners report a process a signal ended.
func (i Interrupt) ExitCode() int { return 128 + int(i.Signal) }

// NewApp builds the command tree. Main reads the command line with
// arrange first: NewApp's parser alone stops at a command's first argument.
func NewApp(e *Env) *cli.App {
	v := e.Version
	if e.Commit != "" {
		v += " (commit " + shortCommit(e.Commit) + ")"
	}
	app := &cli.App{
		Name:                 "gover",
		Usage:                "install Go toolchains, proven genuine, and switch between them per folder",
		Version:              v,
		Writer:               e.Stdout,
		ErrWriter:            e.Stderr,
		EnableBashCompletion: true,
		HideHelpCommand:      true,
		Suggest:              true,
		OnUsageError:         onUsageError,
		// The help command replaces urfave/cli's, which would add this flag.
		Flags:          []cli.Flag{cli.HelpFlag},
		Before:         func(*cli.Context) error { return e.CheckLayout() },
		ExitErrHandler: func(*cli.Context, error) {},
		Commands: []*cli.Command{
			installCommand(e),
			uninstallCommand(e),
			listCommand(e),
			listRemoteCommand(e),
			useCommand(e),
			shellCommand(e),
			currentCommand(e),
			whichCommand(e),
			execCommand(e),
			envCommand(e),
			initCommand(e),
			reshimCommand(e),
			verifyCommand(e),
			pruneCommand(e),
			doctorCommand(e),
			ciCommand(e),
			setupCommand(e),
			systemCommand(e),
			mirrorCommand(e),
			completionCommand(e),
			helpCommand(e),
		},
	}
	everyCommand(app.Commands, func(c *cli.Command) {
		// A flag's bad value is a usage error; help is a flag and the
		// help command, not a subcommand of every command.
		c.OnUsageError = onUsageError
		c.HideHelpCommand = true
	})
	return app
}

func everyCommand(cmds []*cli.Command, f func(*cli.Command)) {
	for _, c := range cmds {
		f(c)
		everyCommand(c.Subcommands, f)
	}
}

// helpCommand is 'gover help [COMMAND…]', the same as 'gover [COMMAND…]
// --help'.
func helpCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the commands, or one command's help",
		ArgsUsage: "[COMMAND…]",
		Action: func(c *cli.Context) error {
			names := c.Args().Slice()
			if len(names) == 0 {
				return cli.ShowAppHelp(c)
			}
			cmds := c.App.Commands
			for i, name := range names {
				cmd := findCommand(cmds, name)
				if cmd == nil {
					return unknownCommand(names[:i+1], cmds)
				}
				cmds = cmd.Subcommands
			}
			args := append(append([]string{c.App.Name}, names...), "--help")
			return NewApp(e).RunContext(c.Context, args)
		},
	}
}

func shortCommit(c string) string {
	if len(c) > 12 {
		return c[:12]
	}
	return c
}

// onUsageError makes the parser's complaints (a flag's value that is
// not a number) usage errors, exit 2, naming the command's help.
func onUsageError(c *cli.Context, err error, isSubcommand bool) error {
	name := c.App.Name
	if c.Command != nil && c.Command.HelpName != "" {
		name = c.Command.HelpName
	}
	return usageErrorf("%w (see '%s --help')", err, name)
}

// errSilent marks an error already reported (e.g. doctor's failed checks).
var errSilent = errors.New("")

// An exitError carries an explicit exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &exitError{code: ExitUsage, err: fmt.Errorf(format, args...)}
}

// ExitCode maps an error to gover's exit codes.
func ExitCode(err error) int {
	var ee *exitError
	var pinErr *selection.PinError
	var notInstalled *paths.NotInstalledError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, verify.ErrFailed):
		return ExitVerify
	case errors.Is(err, goversion.ErrInvalid), errors.As(err, &pinErr):
		return ExitUsage
	case errors.Is(err, installer.ErrNotFound), errors.As(err, &notInstalled):
		return ExitNotFound
	case fetch.IsUnreachable(err), errors.Is(err, goproxy.ErrOff):
		// GOPROXY=off: no source is allowed, which for the user is the
		// same as none reachable.
		return ExitUnreachable
	}
	var iu *installer.IndexUnavailableError
	if errors.As(err, &iu) {
		return ExitUnreachable
	}
	return ExitFailure
}

// printError writes one line: "gover: <what went wrong> (<the fix>)". On
// GitHub Actions it is also an annotation.
func printError(e *Env, err error, interrupted bool) {
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	if interrupted || errors.Is(err, context.Canceled) {
		msg = "interrupted; nothing half-written was left behind"
	}
	if e.Getenv("GITHUB_ACTIONS") == "true" {
		fmt.Fprintf(e.Stderr, "::error::gover: %s\n", msg)
		return
	}
	fmt.Fprintf(e.Stderr, "gover: %s\n", msg)
}

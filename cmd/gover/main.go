// Command gover installs Go toolchains, proven genuine, and switches
// between them per folder. See README.md and docs for the contract.
//
// main holds what is process-wide, so that cli.Main runs in-process in
// tests: the memory limit, and the signals that stop a run.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/goverdev/gover/internal/cli"
)

func main() {
	// gover's own memory is small and bounded (installs stream); a soft
	// limit keeps the garbage collector from letting the heap double past
	// it while tens of thousands of files are written.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(40 << 20)
	}
	ctx, stop := stopOnSignal()
	code := cli.Main(ctx, os.Args, cli.SystemEnv())
	stop()
	os.Exit(code)
}

// stopOnSignal returns a context that Ctrl-C (SIGINT) or SIGTERM ends,
// with a cli.Interrupt as its cause: the command cleans up what it
// started, and gover exits 130 or 143 as shells expect. A second signal
// meets the default action and ends gover at once.
func stopOnSignal() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			sig, _ := s.(syscall.Signal)
			cancel(cli.Interrupt{Signal: sig})
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(sigs)
		close(done)
		cancel(nil)
	}
}

// Command testdist runs gover's fake Go distribution (internal/testdist)
// on loopback for manual tries and end-to-end scripts: it prints the
// environment that points gover at it, then serves until interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/goverdev/gover/internal/testdist"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run serves until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testdist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	dir := fs.String("dir", "", "folder for the public key file (default: a temporary folder)")
	extra := fs.Int("extra-files", 0, "extra source files per toolchain, for bigger archives")
	noProxyDB := fs.Bool("no-proxy-sumdb", false, "the proxy does not serve the checksum database")
	noModes := fs.Bool("module-no-modes", false, "module zips carry no Unix modes")
	var publish []string
	fs.Func("publish", "serve FILE as NAME (NAME=FILE), vouched for by the index, .sha256 and .asc; repeatable (benchmarks serve a real archive this way)", func(v string) error {
		if !strings.Contains(v, "=") {
			return fmt.Errorf("want NAME=FILE, got %q", v)
		}
		publish = append(publish, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return 2
	}
	d, err := testdist.Start(testdist.Options{
		Addr: *addr, KeyringDir: *dir, ExtraFiles: *extra,
		NoProxySumDB: *noProxyDB, ModuleNoModes: *noModes,
	})
	if err != nil {
		fmt.Fprintln(stderr, "testdist:", err)
		return 1
	}
	defer d.Close()
	for _, p := range publish {
		name, file, _ := strings.Cut(p, "=")
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, "testdist:", err)
			return 1
		}
		d.Publish(name, data)
	}
	for _, kv := range d.Env() {
		k, v, _ := strings.Cut(kv, "=")
		fmt.Fprintf(stdout, "export %s='%s'\n", k, v)
	}
	fmt.Fprintf(stdout, "# mirror: %s  second mirror: %s\n# serving at %s until interrupted\n", d.MirrorURL, d.Mirror2URL, d.URL)
	<-ctx.Done()
	return 0
}

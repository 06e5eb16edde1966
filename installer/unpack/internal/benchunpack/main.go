// Command benchunpack times one unpack of a real archive for bench_tar.sh: a .tar.gz is
// streamed through SHA-256 as the installer does, a .zip is unpacked and its h1 computed.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"strings"
	"time"

	"github.com/goverdev/gover/installer/unpack"
)

func main() {
	workers := flag.Int("workers", 0, "parallel writers (0: default)")
	prefix := flag.String("prefix", "go/", "folder every entry sits under")
	module := flag.Bool("module", false, "apply the toolchain module-zip conventions")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile to this file")
	traceFile := flag.String("trace", "", "write an execution trace to this file")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchunpack [-workers N] [-prefix P] [-module] [-cpuprofile FILE] [-trace FILE] ARCHIVE DEST")
		os.Exit(2)
	}
	stop, err := profile(*cpuprofile, *traceFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchunpack:", err)
		os.Exit(1)
	}
	defer stop()
	if err := run(flag.Arg(0), flag.Arg(1), unpack.Options{Prefix: *prefix, Module: *module, Workers: *workers}); err != nil {
		fmt.Fprintln(os.Stderr, "benchunpack:", err)
		stop()
		os.Exit(1)
	}
}

func run(archive, dest string, opt unpack.Options) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	var summary string
	var files int
	if strings.HasSuffix(archive, ".zip") {
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		m, h1, err := unpack.Zip(context.Background(), f, fi.Size(), dest, opt)
		if err != nil {
			return err
		}
		files, summary = len(m.Files), h1
	} else {
		h := sha256.New()
		m, err := unpack.TarGz(context.Background(), io.TeeReader(f, h), dest, opt)
		if err != nil {
			return err
		}
		files, summary = len(m.Files), fmt.Sprintf("sha256:%x", h.Sum(nil))
	}
	fmt.Printf("unpacked %d files in %.3f s (%s), peak RSS %s\n", files, time.Since(start).Seconds(), summary, vmHWM())
	return nil
}

// profile starts the CPU profile and the execution trace asked for; stop ends both.
func profile(cpuprofile, traceFile string) (stop func(), err error) {
	var stops []func()
	stop = func() {
		for _, s := range stops {
			s()
		}
	}
	if cpuprofile != "" {
		f, err := os.Create(cpuprofile)
		if err != nil {
			return stop, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return stop, err
		}
		stops = append(stops, pprof.StopCPUProfile)
	}
	if traceFile != "" {
		f, err := os.Create(traceFile)
		if err != nil {
			return stop, err
		}
		if err := trace.Start(f); err != nil {
			return stop, err
		}
		stops = append(stops, trace.Stop)
	}
	return stop, nil
}

// vmHWM is the process's peak resident set size, from Linux's /proc.
func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

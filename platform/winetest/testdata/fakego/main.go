// Command fakego stands in for a Go toolchain's go.exe in the Wine tests:
// it says the release its GOROOT's VERSION file names, and answers
// 'go env' and 'go env -json' as the go command does, GOROOT found from
// its own path. It downloads nothing and builds nothing.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

func main() {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakego:", err)
		os.Exit(1)
	}
	goroot := filepath.Dir(filepath.Dir(exe))
	data, _ := os.ReadFile(filepath.Join(goroot, "VERSION"))
	version := strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
	args := os.Args[1:]
	switch {
	case len(args) > 0 && args[0] == "version":
		fmt.Printf("go version %s %s/%s\n", version, runtime.GOOS, runtime.GOARCH)
	case len(args) > 0 && args[0] == "env":
		vals := map[string]string{}
		keys := args[1:]
		asJSON := len(keys) > 0 && keys[0] == "-json"
		if asJSON {
			keys = keys[1:]
		}
		for _, k := range keys {
			switch k {
			case "GOROOT":
				vals[k] = goroot
			case "GOVERSION":
				vals[k] = version
			case "GOOS":
				vals[k] = runtime.GOOS
			case "GOARCH":
				vals[k] = runtime.GOARCH
			default:
				vals[k] = os.Getenv(k)
			}
		}
		if asJSON {
			out, _ := json.MarshalIndent(vals, "", "\t")
			fmt.Println(string(out))
			return
		}
		for _, k := range keys {
			fmt.Println(vals[k])
		}
	default:
		fmt.Printf("fakego %s: %s\n", version, strings.Join(args, " "))
	}
}

// Command gover installs Go toolchains, proven genuine, and switches
// between them per folder. See README.md and docs for the contract.
package main

import (
	"os"

	"github.com/goverdev/gover/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args, cli.SystemEnv())) }

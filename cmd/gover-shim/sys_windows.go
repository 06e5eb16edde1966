package main

import (
	"io/fs"
	"os"
)

func workDir() (string, error) { return os.Getwd() }

// Windows runs any file; PATH lookups here only ever name .exe files.
func isExecutable(fs.FileInfo) bool { return true }

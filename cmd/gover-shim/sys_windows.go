package main

import (
	"os"
)

func workDir(func(string) string) (string, error) { return os.Getwd() }

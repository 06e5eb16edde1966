package main

import (
	"os"
)

func workDir() (string, error) { return os.Getwd() }

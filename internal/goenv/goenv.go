// Package goenv reads the go env file — what 'go env -w' writes — as the
// go command reads it (cmd/go/internal/cfg): $GOENV (made absolute; "off"
// means none), else <user config folder>/go/env; lines KEY=VALUE whose key
// starts with A–Z, values taken as written, a later line winning; a missing
// or unreadable file is empty. A value there counts only when the
// environment does not set the variable.
//
// It imports next to nothing: the shim reads GOTOOLCHAIN through it on
// every go call.
package goenv

import (
	"bytes"
	"os"
	"path/filepath"
)

// File is the go env file's path; "" when there is none (GOENV=off, or no
// user config folder).
func File(getenv func(string) string) string {
	if f := getenv("GOENV"); f != "" {
		if f == "off" {
			return ""
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			return ""
		}
		return abs
	}
	dir := userConfigDir(getenv)
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "go", "env")
}

// Read parses a go env file; a missing or unreadable one is empty.
func Read(file string) map[string]string {
	vals := map[string]string{}
	if file == "" {
		return vals
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return vals
	}
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		i := bytes.IndexByte(line, '=')
		if i < 0 || line[0] < 'A' || 'Z' < line[0] {
			continue // a comment, or not KEY=VALUE: cmd/go ignores it
		}
		vals[string(line[:i])] = string(line[i+1:])
	}
	return vals
}

// Origins of a value (Lookup).
const (
	FromEnvironment = "environment"
)

// Lookup is key as the go command sees it before its defaults: the
// environment's value, else the go env file's; from is FromEnvironment or
// the file's path, "" when neither sets it.
func Lookup(getenv func(string) string, key string) (value, from string) {
	if v := getenv(key); v != "" {
		return v, FromEnvironment
	}
	file := File(getenv)
	if v := Read(file)[key]; v != "" {
		return v, file
	}
	return "", ""
}

//go:build !cgo

package main

const cgoFastPath = false

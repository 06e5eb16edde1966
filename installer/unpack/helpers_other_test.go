//go:build !unix

package unpack

import "io/fs"

// Windows has no exec bit and no umask: modes on disk say nothing about the manifest's.
func diskPerm(fs.FileInfo) fs.FileMode     { return 0 }
func manifestPerm(fs.FileMode) fs.FileMode { return 0 }

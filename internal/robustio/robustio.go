// Package robustio renames files and folders the way cmd/go's robustio
// does: on Windows (and macOS) it retries the errors that a scanner or an
// indexer holding a file open for a moment causes, so an install or a
// sync is not failed by an antivirus program. Every rename that puts
// something in place goes through Rename.
package robustio

// Rename is os.Rename, retrying for up to two seconds the errors that
// clear up by waiting on this system (none on Linux).
func Rename(oldpath, newpath string) error { return rename(oldpath, newpath) }

//go:build !windows

package fetch

import "net/url"

// localPath is the file a file:// URL names on this OS.
func localPath(u *url.URL) (string, error) { return unixPath(u) }

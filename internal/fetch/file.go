package fetch

import "net/http"

// fileTransport serves file:// URLs (a mirror or GOPROXY folder on disk) with
// the same Range and status behaviour as a static web server.
func fileTransport() http.RoundTripper {
	return http.NewFileTransport(http.Dir("/"))
}

package testdist

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// serve counts the request, then answers it through the faults registered
// for its path.
func (d *Dist) serve(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	d.counts[r.URL.Path]++
	d.log = append(d.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Range: r.Header.Get("Range")})
	faults := d.faultsFor(r.URL.Path)
	d.mu.Unlock()

	var h http.Handler = http.HandlerFunc(d.route)
	for i := len(faults) - 1; i >= 0; i-- {
		h = faults[i].Wrap(h)
	}
	h.ServeHTTP(w, r)
}

// route answers a request as a well-behaved host would.
func (d *Dist) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == IndexPath:
		d.serveIndex(w, r)
	case p == "/dl/linux_signing_key.pub":
		serveBytes(w, r, "application/pgp-keys", d.pubKey, time.Time{}, "")
	case strings.HasPrefix(p, "/dl/"):
		d.serveFile(w, r, strings.TrimPrefix(p, "/dl/"), googleNotFound)
	case p == "/mirror/" || p == "/mirror2/":
		d.serveListing(w, r)
	case strings.HasPrefix(p, "/mirror/"):
		d.serveFile(w, r, strings.TrimPrefix(p, "/mirror/"), nginxNotFound)
	case strings.HasPrefix(p, "/mirror2/"):
		d.serveFile(w, r, strings.TrimPrefix(p, "/mirror2/"), nginxNotFound)
	case strings.HasPrefix(p, "/proxy/"):
		d.serveProxy(w, r, strings.TrimPrefix(p, "/proxy"))
	case strings.HasPrefix(p, "/sumdb/"):
		d.serveSumDB(w, r, strings.TrimPrefix(p, "/sumdb"))
	default:
		http.NotFound(w, r)
	}
}

// serveIndex answers the official download page: JSON with mode=json,
// the HTML page otherwise.
func (d *Dist) serveIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("mode") != "json" {
		writeHTML(w, http.StatusOK, downloadsPage)
		return
	}
	d.mu.Lock()
	body := indexJSON(d.cat.index, q.Get("include") == "all")
	d.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// serveFile answers <name>, <name>.sha256 or <name>.asc from the flat
// folder of release files.
func (d *Dist) serveFile(w http.ResponseWriter, r *http.Request, name string, notFound func(http.ResponseWriter, *http.Request)) {
	base, ext := name, ""
	for _, x := range []string{".sha256", ".asc"} {
		if b, ok := strings.CutSuffix(name, x); ok {
			base, ext = b, x
		}
	}
	d.mu.Lock()
	f := d.cat.files[base]
	d.mu.Unlock()
	if f == nil {
		notFound(w, r)
		return
	}
	switch ext {
	case ".sha256":
		serveBytes(w, r, "text/plain; charset=utf-8", []byte(f.sha256), f.modTime, "")
	case ".asc":
		sig, err := d.signature(base)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		serveBytes(w, r, "text/plain; charset=utf-8", sig, f.modTime, "")
	default:
		serveBytes(w, r, contentType(name), f.data, f.modTime, `"`+f.sha256[:32]+`"`)
	}
}

// contentType is what Google's download host sends for each kind of file.
func contentType(name string) string {
	switch {
	case strings.HasSuffix(name, ".tar.gz"):
		return "application/x-gzip"
	case strings.HasSuffix(name, ".zip"):
		return "application/zip"
	case strings.HasSuffix(name, ".msi"):
		return "application/x-msi"
	default:
		return "application/octet-stream"
	}
}

// serveBytes answers with data through http.ServeContent, which does
// Range, If-Range, If-None-Match and Last-Modified.
func serveBytes(w http.ResponseWriter, r *http.Request, ctype string, data []byte, mod time.Time, etag string) {
	w.Header().Set("Content-Type", ctype)
	if etag != "" {
		w.Header().Set("ETag", etag)
	}
	http.ServeContent(w, r, "", mod, bytes.NewReader(data))
}

// serveListing answers a mirror's root with an nginx-style autoindex page,
// as community mirrors do (they have no JSON index).
func (d *Dist) serveListing(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	var names []string
	for n := range d.cat.files {
		names = append(names, n)
	}
	d.mu.Unlock()
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "<html>\r\n<head><title>Index of %s</title></head>\r\n<body>\r\n<h1>Index of %s</h1><hr><pre><a href=\"../\">../</a>\r\n", r.URL.Path, r.URL.Path)
	for _, n := range names {
		for _, x := range []string{"", ".asc", ".sha256"} {
			fmt.Fprintf(&b, "<a href=\"%s\">%s</a>\r\n", html.EscapeString(n+x), html.EscapeString(n+x))
		}
	}
	b.WriteString("</pre><hr></body>\r\n</html>\r\n")
	writeHTML(w, http.StatusOK, b.String())
}

// serveProxy answers GOPROXY requests; p starts with "/".
func (d *Dist) serveProxy(w http.ResponseWriter, r *http.Request, p string) {
	if rest, ok := strings.CutPrefix(p, "/sumdb/"); ok {
		name, sub, _ := strings.Cut(rest, "/")
		if name != SumDBName || !d.proxyDB {
			// proxy.golang.org answers 404 for databases it does not
			// proxy; the client then goes to the database directly.
			proxyNotFound(w, "unsupported checksum database "+name)
			return
		}
		if sub == "supported" {
			w.WriteHeader(http.StatusOK)
			return
		}
		d.serveSumDB(w, r, "/"+sub)
		return
	}
	rest, ok := strings.CutPrefix(p, "/"+ToolchainModule+"/@v/")
	if !ok {
		proxyNotFound(w, "not found: "+strings.TrimPrefix(p, "/"))
		return
	}
	if rest == "list" {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		for _, v := range d.moduleVersions() {
			fmt.Fprintln(w, v)
		}
		return
	}
	var vers, ext string
	for _, x := range []string{".info", ".mod", ".zip"} {
		if v, ok := strings.CutSuffix(rest, x); ok {
			vers, ext = v, x
		}
	}
	m := d.moduleAt(vers)
	if m == nil {
		proxyNotFound(w, fmt.Sprintf("not found: %s@%s: invalid version: unknown revision %s", ToolchainModule, rest, vers))
		return
	}
	switch ext {
	case ".info":
		b, _ := json.Marshal(struct {
			Version string
			Time    time.Time
		}{m.version, m.time})
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	case ".mod":
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.Write([]byte(modFile))
	case ".zip":
		serveBytes(w, r, "application/zip", m.zip, m.time, "")
	}
}

// serveSumDB hands a checksum database request (p: "/lookup/…",
// "/tile/…", "/latest") to x/mod's server.
func (d *Dist) serveSumDB(w http.ResponseWriter, r *http.Request, p string) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = p
	r2.URL.RawPath = ""
	d.sumdb.ServeHTTP(w, r2)
}

func proxyNotFound(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintln(w, msg)
}

func writeHTML(w http.ResponseWriter, code int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(code)
	w.Write([]byte(page))
}

// googleNotFound is the download host's 404: an HTML page, not text.
func googleNotFound(w http.ResponseWriter, r *http.Request) {
	writeHTML(w, http.StatusNotFound, `<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <meta name=viewport content="initial-scale=1, minimum-scale=1, width=device-width">
  <title>Error 404 (Not Found)!!1</title>
  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>
  <p><b>404.</b> <ins>That’s an error.</ins>
  <p>The requested URL <code>`+html.EscapeString(r.URL.Path)+`</code> was not found on this server.  <ins>That’s all we know.</ins>
`)
}

// nginxNotFound is a community mirror's 404.
func nginxNotFound(w http.ResponseWriter, r *http.Request) {
	writeHTML(w, http.StatusNotFound, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
}

// downloadsPage stands for the official downloads page, which is also what
// the official site answers for .sha256 and .asc names it does not
// redirect (and what a captive portal's login page looks like to a client:
// 200, text/html).
const downloadsPage = `<!DOCTYPE html>
<html lang="en" data-theme="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>All releases - The Go Programming Language</title>
<link rel="stylesheet" href="/css/styles.css">
</head>
<body class="Site">
<header class="Site-header js-siteHeader">
  <nav class="Header-nav"><a href="/"><img class="js-headerLogo Header-logo" src="/images/go-logo-blue.svg" alt="Go"></a></nav>
</header>
<main class="SiteContent SiteContent--default">
<article class="Downloads Article">
<h1>All releases</h1>
<p>After downloading a binary release suitable for your system,
please follow the <a href="/doc/install">installation instructions</a>.</p>
<h2 id="stable">Stable versions</h2>
<div class="toggleVisible" id="go1.22.5">
<table class="downloadtable">
<thead><tr class="first"><th>File name</th><th>Kind</th><th>OS</th><th>Arch</th><th>Size</th><th>SHA256 Checksum</th></tr></thead>
<tr class="highlight"><td class="filename"><a class="download" href="/dl/go1.22.5.linux-amd64.tar.gz">go1.22.5.linux-amd64.tar.gz</a></td><td>Archive</td><td>Linux</td><td>x86-64</td><td>66MB</td><td><tt>904b924d435eaea086515bc63235b192ea441bd8c9b198c507e85009e6e4c7f0</tt></td></tr>
</table>
</div>
</article>
</main>
</body>
</html>
`

package installer

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// A MirrorPreset is a well-known mirror of the official downloads.
type MirrorPreset struct {
	Name, URL, About string
	// IndexURL is set for hosts that serve the official JSON index
	// themselves (Google's mainland-China host does).
	IndexURL string
}

// MirrorPresets are the mirrors --mirror and GOVER_MIRROR know by name.
// Community mirrors are flat folders of the official file names and serve
// no index: their files are proven with the official index and signature.
var MirrorPresets = []MirrorPreset{
	{Name: "google-cn", URL: "https://golang.google.cn/dl/", About: "Google's official host for mainland China (serves the index too)",
		IndexURL: "https://golang.google.cn/dl/?mode=json&include=all"},
	{Name: "aliyun", URL: "https://mirrors.aliyun.com/golang/", About: "Alibaba Cloud"},
	{Name: "ustc", URL: "https://mirrors.ustc.edu.cn/golang/", About: "University of Science and Technology of China"},
	{Name: "nju", URL: "https://mirrors.nju.edu.cn/golang/", About: "Nanjing University"},
	{Name: "hust", URL: "https://mirrors.hust.edu.cn/golang/", About: "Huazhong University of Science and Technology"},
}

// PresetHelp lists the presets for --help.
func PresetHelp() string {
	var b strings.Builder
	for _, p := range MirrorPresets {
		fmt.Fprintf(&b, "  %-10s %s (%s)\n", p.Name, p.URL, p.About)
	}
	return b.String()
}

// ParseMirrors reads a --mirror / GOVER_MIRROR value: preset names or URLs,
// separated by commas, tried in order. It returns the download bases and
// the official indexes those hosts serve.
func ParseMirrors(v string) (bases, indexURLs []string, err error) {
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, ok := preset(item); ok {
			bases = append(bases, p.URL)
			if p.IndexURL != "" {
				indexURLs = append(indexURLs, p.IndexURL)
			}
			continue
		}
		u, perr := url.Parse(item)
		if perr != nil || (u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "file") || (u.Host == "" && u.Scheme != "file") ||
			u.Scheme == "file" && (u.Opaque != "" || !strings.HasPrefix(u.Path, "/")) {
			names := make([]string, len(MirrorPresets))
			for i, p := range MirrorPresets {
				names[i] = p.Name
			}
			sort.Strings(names)
			return nil, nil, fmt.Errorf("mirror %q is neither a URL nor a known name (use an http(s):// or file:// URL, or one of %s)", item, strings.Join(names, ", "))
		}
		if !strings.HasSuffix(item, "/") {
			item += "/"
		}
		bases = append(bases, item)
	}
	if len(bases) == 0 {
		return nil, nil, fmt.Errorf("mirror %q names no mirror", v)
	}
	return bases, indexURLs, nil
}

func preset(name string) (MirrorPreset, bool) {
	for _, p := range MirrorPresets {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return MirrorPreset{}, false
}

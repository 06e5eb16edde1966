package doctor

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
)

// checkGOPROXYCredentials says what the go command does with credentials
// written into a GOPROXY URL (https://user:token@goproxy.corp): over plain
// http it refuses to send them and stops every download through that
// entry ("refusing to pass credentials to insecure URL",
// cmd/go/internal/web); over https it sends them as HTTP Basic
// authentication (the guide says otherwise; the tests run the real go).
func checkGOPROXYCredentials(ctx context.Context, s *state) Result {
	set := goproxy.Load(s.env.Getenv)
	var refused, sent []string
	for _, e := range goproxy.Split(set.GOPROXY) {
		if e.Ignored || e.Direct || e.Off {
			continue
		}
		u, err := url.Parse(e.URL)
		if err != nil || u.User == nil {
			continue
		}
		switch u.Scheme {
		case "http":
			refused = append(refused, fetch.Redact(e.Raw))
		case "https":
			sent = append(sent, fetch.Redact(e.Raw))
		}
	}
	goName := "go"
	if ge, ok := s.goEnv.get(ctx); ok && ge.Err == nil {
		if f := strings.Fields(ge.Vars["GOVERSION"]); len(f) > 0 {
			goName = f[0]
		}
	}
	from := fromWords(set.From["GOPROXY"])
	if len(refused) > 0 {
		return failf(fmt.Sprintf("GOPROXY (%s) has credentials in a plain http URL (%s): %s refuses to send them and stops every download through it with 'refusing to pass credentials to insecure URL'", from, strings.Join(refused, ", "), goName),
			s.proxySetFix(ctx, set, "serve the proxy over https and write https:// (go then sends the URL's credentials as HTTP Basic authentication; ~/.netrc or GOAUTH keeps them out of GOPROXY), or drop the credentials if the proxy does not need them"))
	}
	if len(sent) > 0 {
		return okf(fmt.Sprintf("GOPROXY (%s) has credentials in an https URL (%s): %s sends them as HTTP Basic authentication (they also show in 'go env' output; ~/.netrc or GOAUTH keeps them out of it)", from, strings.Join(sent, ", "), goName))
	}
	return okf("no credentials in GOPROXY's URLs")
}

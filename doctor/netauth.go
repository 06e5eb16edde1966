package doctor

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/goverdev/gover/internal/goproxy"
)

// auth is GOAUTH and its netrc file, read as the go command reads them:
// the network checks send what go would send, so a proxy go reaches with
// ~/.netrc credentials is not reported failing.
func (s *state) auth() (goproxy.Auth, error) {
	return goproxy.LoadAuth(s.env.Getenv, goproxy.Load(s.env.Getenv).GOAUTH)
}

// addCredentials adds to req what the go command would: a netrc entry's
// Basic credentials for https URLs, unless GOAUTH says otherwise. It
// returns the entry sent.
func (s *state) addCredentials(req *http.Request) *goproxy.NetrcEntry {
	a, err := s.auth()
	if err != nil {
		return nil
	}
	e, ok := a.AddCredentials(req)
	if !ok {
		return nil
	}
	return &e
}

// authProblem explains a 401 or 403 from a server go sends GOAUTH's
// credentials to: what go sent, or why it sent nothing, and how to give
// it credentials that it will send.
func (s *state) authProblem(a answer, via string) problem {
	p := problem{Kind: "auth", Msg: fmt.Sprintf("refused access (%d %s)%s", a.Code, http.StatusText(a.Code), via)}
	auth, err := s.auth()
	u, _ := url.Parse(a.URL)
	machine := goproxy.NetrcMachine(a.URL)
	switch {
	case u == nil || u.Scheme != "https":
		p.Msg += ": go sends credentials (netrc, GOAUTH) only over https"
		p.Fix = "use the server's https URL: go sends no credentials over plain http"
		return p
	case err != nil:
		p.Msg += ": " + err.Error()
		p.Fix = "fix or unset GOAUTH ('go help goauth'); the default, netrc, reads ~/.netrc"
		return p
	case auth.Off:
		p.Msg += ": GOAUTH=off, so go sends no credentials"
		p.Fix = "unset GOAUTH (the default, netrc, reads ~/.netrc), then " + netrcFix(goproxy.NetrcPath(s.env.Getenv), machine)
		return p
	case a.Sent != nil:
		p.Msg = fmt.Sprintf("refused access (%d %s)%s with the credentials for %s in %s (login %s)", a.Code, http.StatusText(a.Code), via, a.Sent.Machine, auth.Netrc, a.Sent.Login)
		p.Fix = fmt.Sprintf("check the login and password (token) on the 'machine %s' line of %s", a.Sent.Machine, auth.Netrc)
		return p
	}
	var why []string
	if auth.Netrc != "" {
		why = append(why, auth.Netrc+" has no entry for "+machine)
		host := u.Hostname()
		for _, m := range auth.Machines() {
			if m != machine && (m == host || strings.HasPrefix(m, host+"/")) {
				why = append(why, fmt.Sprintf("its machine %s does not match %s: go matches the host with its port", m, machine))
				break
			}
		}
	}
	if len(auth.Commands) > 0 {
		// Only the go command runs GOAUTH's commands (they may prompt, or
		// open a browser); what they give cannot be known here.
		p.Kind = "auth-unchecked"
		why = append(why, fmt.Sprintf("go also asks GOAUTH's %q, which the doctor does not run", strings.Join(auth.Commands, "; ")))
		p.Msg += ": " + strings.Join(why, "; ")
		p.Fix = "run 'go list -m -versions golang.org/toolchain' to see whether go gets in; if not, " + netrcFix(auth.Netrc, machine)
		return p
	}
	p.Msg += ": " + strings.Join(why, "; ")
	if auth.Netrc == "" {
		p.Fix = "add netrc to GOAUTH, then " + netrcFix(goproxy.NetrcPath(s.env.Getenv), machine)
	} else {
		p.Fix = netrcFix(auth.Netrc, machine)
	}
	return p
}

// netrcFix says how to give go credentials for machine in a netrc file.
func netrcFix(file, machine string) string {
	return fmt.Sprintf("add this line to %s, with your user and token for the proxy: machine %s login USER password TOKEN (and keep the file private: chmod 600 %s)", file, machine, file)
}

// severity is how bad a problem is for a check that needs the answer: a
// failure, except where only the go command can tell.
func (p problem) severity() Status {
	if p.Kind == "auth-unchecked" {
		return Warn
	}
	return Fail
}

package platform

// New returns the System of this OS.
func New(env Env) System { return &Unix{Env: env, GOOS: "linux"} }

package platform

// New returns the System of this OS: the registry-backed Windows one.
func New(env Env) System {
	return &Windows{Env: env, reg: realRegistry{}, broadcast: broadcastEnvironment}
}

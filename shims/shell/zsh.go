package shell

type zsh struct{}

func (zsh) Name() string              { return "zsh" }
func (zsh) Quote(s string) string     { return posixQuote(s) }
func (zsh) Set(name, v string) string { return "export " + name + "=" + posixQuote(v) }
func (zsh) Unset(name string) string  { return "unset " + name }

func (sh zsh) Init(o Init) string { return render("zsh", zshInit, sh, o) }

func (sh zsh) Completion(c Completion) string {
	return render("zsh completion", zshCompletion, sh, c)
}

func (sh zsh) Fresh(c Check) string { return posixFresh(sh, c) }

const zshInit = `# gover shell integration for zsh{{if .Hook}}, hook mode{{end}}. In ~/.zshrc:
#   eval "$(gover init zsh{{if .Hook}} --hook{{end}})"
` + posixCommon + `{{completion .Completion -}}
{{- if .Hook}}

# Hook mode: before each prompt, apply the toolchain this folder selects
# when something changed. $? is kept for the prompt and other hooks.
__gover_fresh() { return 1 }
__gover_hook() {
  local __gover_s=$? __gover_out
  if ! __gover_fresh 2>/dev/null; then
    __gover_out=$(PWD=$PWD GOVER_SHELL=zsh command {{q .Gover}} env --hook) && eval "$__gover_out"
  fi
  return $__gover_s
}
typeset -ga precmd_functions
((${precmd_functions[(Ie)__gover_hook]})) || precmd_functions=(__gover_hook $precmd_functions)
# And once now: 'zsh -ic', an IDE's task or tmux's first command may run
# before any prompt.
__gover_hook
{{- end}}
`

package shell

import "strings"

type bash struct{}

func (bash) Name() string              { return "bash" }
func (bash) Quote(s string) string     { return posixQuote(s) }
func (bash) Set(name, v string) string { return name + "=" + posixQuote(v) + "; export " + name }
func (bash) Unset(name string) string  { return "unset " + name }

func (sh bash) Init(o Init) string { return render("bash", bashInit, sh, o) }

func (sh bash) Completion(c Completion) string {
	return render("bash completion", bashCompletion, sh, c)
}

func (sh bash) Fresh(c Check) string { return posixFresh(sh, c) }

// posixFresh is __gover_fresh for bash and zsh: [[ ]] tests and the read
// builtin, no command substitution (which would fork).
func posixFresh(sh Shell, c Check) string {
	var b strings.Builder
	b.WriteString("__gover_fresh() {\n")
	b.WriteString("  [[ $PWD == " + sh.Quote(c.Dir))
	for _, v := range c.Vars {
		b.WriteString(" && ${" + v.Name + "-} == " + sh.Quote(v.Value))
	}
	b.WriteString(" ]] || return 1\n")
	for _, p := range c.Absent {
		b.WriteString("  [[ ! -e " + sh.Quote(p) + " ]] || return 1\n")
	}
	for _, d := range c.Dirs {
		b.WriteString("  [[ -d " + sh.Quote(d) + " ]] || return 1\n")
	}
	if len(c.Files) > 0 {
		b.WriteString("  local c\n")
	}
	for _, f := range c.Files {
		// read -d '' stops at end of file (status 1, content kept).
		b.WriteString("  c=; IFS= read -r -d '' c < " + sh.Quote(f.Path) + "\n")
		b.WriteString("  while [[ $c == *$'\\n' ]]; do c=${c%$'\\n'}; done\n")
		b.WriteString("  [[ $c == " + sh.Quote(f.trimmed()) + " ]] || return 1\n")
	}
	b.WriteString("  return 0\n}\n")
	return b.String()
}

// posixCommon is what bash and zsh share: the shims first on PATH, once,
// and the gover function that runs what 'gover shell' prints.
const posixCommon = `__gover_path_remove() {
  local p=":$1:"
  while [[ $p == *":$2:"* ]]; do p=${p//":$2:"/:}; done
  p=${p#:}
  __gover_r=${p%:}
}
{{- if not .Hook}}
# The shims go first on PATH, once, however often this is loaded.
__gover_path_remove "${PATH-}" {{q .Shims}}
PATH={{q .Shims}}${__gover_r:+:$__gover_r}
export PATH
unset __gover_r
{{- end}}

# 'gover shell' changes this shell, so gover prints code and the function runs it.
gover() {
  local __gover_s __gover_out
  case ${1-} in
  shell)
    case " $* " in
    *" -h "* | *" --help "*) command {{q .Gover}} "$@" ;;
    *) __gover_out=$(GOVER_SHELL={{shell}} command {{q .Gover}} "$@") && eval "$__gover_out" ;;
    esac ;;
  *) command {{q .Gover}} "$@" ;;
  esac
  __gover_s=$?
{{- if .Hook}}
  __gover_fresh() { return 1; }
  __gover_hook
{{- end}}
  return $__gover_s
}

`

const bashInit = `# gover shell integration for bash{{if .Hook}}, hook mode{{end}}. In ~/.bashrc:
#   eval "$(gover init bash{{if .Hook}} --hook{{end}})"
` + posixCommon + `{{completion .Completion -}}
{{- if .Hook}}

# Hook mode: before each prompt, apply the toolchain this folder selects
# when something changed. $? is kept for the prompt and other hooks.
__gover_fresh() { return 1; }
__gover_hook() {
  local __gover_s=$? __gover_out
  if ! __gover_fresh 2>/dev/null; then
    __gover_out=$(PWD=$PWD GOVER_SHELL=bash command {{q .Gover}} env --hook) && eval "$__gover_out"
  fi
  return $__gover_s
}
case ";${PROMPT_COMMAND-};" in
*";__gover_hook;"*) ;;
*) PROMPT_COMMAND="__gover_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
# And once now: 'bash -ic', an IDE's task or tmux's first command may run
# before any prompt.
__gover_hook
{{- end}}
`

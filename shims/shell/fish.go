package shell

import "strings"

type fish struct{}

func (fish) Name() string { return "fish" }

// Quote: fish single quotes keep everything literal except \\ and \'.
func (fish) Quote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// Set: fish keeps PATH as a list, so it is set element by element.
func (sh fish) Set(name, v string) string {
	if name != "PATH" {
		return "set -gx " + name + " " + sh.Quote(v)
	}
	var b strings.Builder
	b.WriteString("set -gx PATH")
	for _, p := range strings.Split(v, ":") {
		b.WriteString(" " + sh.Quote(p))
	}
	return b.String()
}

func (fish) Unset(name string) string { return "set -e " + name }

func (sh fish) Init(o Init) string { return render("fish", fishInit, sh, o) }

// Fresh uses test and string collect, both builtins: a command
// substitution of builtins does not fork in fish.
func (sh fish) Fresh(c Check) string {
	var b strings.Builder
	b.WriteString("function __gover_fresh\n")
	b.WriteString("  test \"$PWD\" = " + sh.Quote(c.Dir) + "; or return 1\n")
	for _, v := range c.Vars {
		b.WriteString("  test \"$" + v.Name + "\" = " + sh.Quote(v.Value) + "; or return 1\n")
	}
	for _, p := range c.Absent {
		b.WriteString("  not test -e " + sh.Quote(p) + "; or return 1\n")
	}
	for _, d := range c.Dirs {
		b.WriteString("  test -d " + sh.Quote(d) + "; or return 1\n")
	}
	for _, f := range c.Files {
		// fish reports a failed redirection itself, past 2>/dev/null.
		b.WriteString("  test -f " + sh.Quote(f.Path) + "; or return 1\n")
		b.WriteString("  set -l c (string collect < " + sh.Quote(f.Path) + "); or return 1\n")
		b.WriteString("  test \"$c\" = " + sh.Quote(f.trimmed()) + "; or return 1\n")
	}
	b.WriteString("  return 0\nend\n")
	return b.String()
}

const fishInit = `# gover shell integration for fish{{if .Hook}}, hook mode{{end}}. In ~/.config/fish/config.fish:
#   gover init fish{{if .Hook}} --hook{{end}} | source
{{- if not .Hook}}
# The shims go first on PATH, once, however often this is loaded.
while contains -- {{q .Shims}} $PATH
  set -e PATH[(contains -i -- {{q .Shims}} $PATH)]
end
set -gx PATH {{q .Shims}} $PATH
{{- end}}

# 'gover shell' changes this shell, so gover prints code and the function runs it.
function gover --description 'gover, with gover shell for this shell'
  if test "$argv[1]" = shell; and not contains -- --help $argv; and not contains -- -h $argv
    set -l out (GOVER_SHELL=fish command {{q .Gover}} $argv | string collect)
    set -l s $pipestatus[1]
    test $s -eq 0; and eval $out
{{- if .Hook}}
    function __gover_fresh; return 1; end
    __gover_hook
{{- end}}
    return $s
  end
  command {{q .Gover}} $argv
  set -l s $status
{{- if .Hook}}
  function __gover_fresh; return 1; end
  __gover_hook
{{- end}}
  return $s
end

function __gover_versions
  for d in {{q .Versions}}/go*/
    set -l v (string replace -r '.*/go([^/]*)/$' '$1' -- $d)
    string match -q -- '*-*' $v; or echo $v
  end
end
complete -c gover -f
complete -c gover -n __fish_use_subcommand -a {{words .Commands}}
complete -c gover -n '__fish_seen_subcommand_from {{join versionc " "}}' -a '(__gover_versions)'
complete -c gover -n '__fish_seen_subcommand_from init' -a 'bash zsh fish pwsh --hook'
{{- if .Hook}}

# Hook mode: before each prompt, and right after cd, apply the toolchain
# this folder selects when something changed. $status is kept.
function __gover_fresh; return 1; end
function __gover_hook --on-event fish_prompt --on-variable PWD
  set -l s $status
  if not __gover_fresh 2>/dev/null
    set -l out (GOVER_SHELL=fish command {{q .Gover}} env --hook | string collect)
    and eval $out
  end
  return $s
end
# And once now: 'fish -c', an IDE's task or tmux's first command may run
# before any prompt.
__gover_hook
{{- end}}
`

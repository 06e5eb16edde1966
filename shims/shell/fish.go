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

// Completion gives each command's flags as fish options (-l, -s) and its
// arguments under a condition: its name seen, and for a command with
// subcommands, none of them seen yet.
func (sh fish) Completion(c Completion) string {
	var b strings.Builder
	b.WriteString(render("fish completion", fishCompletionHead, sh, c))
	for _, cmd := range c.Commands {
		var cond string
		if parent, sub, ok := strings.Cut(cmd.Names[0], " "); ok {
			cond = "__fish_seen_subcommand_from " + parent + "; and __fish_seen_subcommand_from " + sub
		} else {
			cond = "__fish_seen_subcommand_from " + strings.Join(cmd.Names, " ")
			var subs []string
			for _, n := range c.Nested() {
				if p, s, _ := strings.Cut(n, " "); p == cmd.Names[0] {
					subs = append(subs, s)
				}
			}
			if len(subs) > 0 {
				cond += "; and not __fish_seen_subcommand_from " + strings.Join(subs, " ")
			}
		}
		line := "complete -c gover -n " + sh.Quote(cond)
		for _, f := range cmd.Flags {
			if name, ok := strings.CutPrefix(f, "--"); ok {
				b.WriteString(line + " -l " + sh.Quote(name) + "\n")
			} else {
				b.WriteString(line + " -s " + sh.Quote(strings.TrimPrefix(f, "-")) + "\n")
			}
		}
		switch {
		case cmd.Versions:
			b.WriteString(line + " -a '(__gover_versions)'\n")
		case len(cmd.Words) > 0:
			b.WriteString(line + " -a " + sh.Quote(strings.Join(cmd.Words, " ")) + "\n")
		}
	}
	return b.String()
}

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

{{completion .Completion -}}
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

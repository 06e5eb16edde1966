package shell

// Completion is what a completion script knows of gover's command line:
// 'gover completion SHELL' prints the script, and 'gover init SHELL'
// includes the same text.
type Completion struct {
	// Versions is the folder of installed toolchains, read when a
	// completion is asked for (no gover process runs).
	Versions string
	// Commands are the commands with their flags and arguments; a
	// subcommand is named with its parent ("mirror sync").
	Commands []Command
}

// A Command is one command as completion sees it.
type Command struct {
	// Names are the name and its aliases ("uninstall", "rm").
	Names []string
	// Flags are spelled as typed: "--force", "-q".
	Flags []string
	// Words are the fixed arguments it takes (subcommands, shell names).
	Words []string
	// Versions: its arguments are installed versions.
	Versions bool
}

// Top are the top-level command names, for the first word.
func (c Completion) Top() []string {
	var out []string
	for _, cmd := range c.Commands {
		if !nested(cmd.Names[0]) {
			out = append(out, cmd.Names[0])
		}
	}
	return out
}

// Nested are the subcommands' names ("mirror sync").
func (c Completion) Nested() []string {
	var out []string
	for _, cmd := range c.Commands {
		if nested(cmd.Names[0]) {
			out = append(out, cmd.Names[0])
		}
	}
	return out
}

func nested(name string) bool {
	for _, r := range name {
		if r == ' ' {
			return true
		}
	}
	return false
}

const bashCompletion = `# gover completion for bash: source <(gover completion bash)
__gover_versions() {
  local d v
  for d in {{q .Versions}}/go*; do
    [[ -d $d ]] || continue
    v=${d##*/}
    [[ $v == *-* ]] || printf '%s\n' "${v#go}"
  done
}
__gover_complete() {
  local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]-} w=
  COMPREPLY=()
  if ((COMP_CWORD == 1)); then
    w={{words .Top}}
  else
    if ((COMP_CWORD > 2)); then
      case "$cmd ${COMP_WORDS[2]}" in
      {{range .Nested}}{{q .}}) cmd="$cmd ${COMP_WORDS[2]}" ;;
      {{end}}esac
    fi
    if [[ $cur == -* ]]; then
      case $cmd in
      {{range .Commands}}{{range $i, $n := .Names}}{{if $i}}|{{end}}{{q $n}}{{end}}) w={{words .Flags}} ;;
      {{end}}esac
    else
      case $cmd in
      {{range .Commands}}{{if .Versions}}{{range $i, $n := .Names}}{{if $i}}|{{end}}{{q $n}}{{end}}) w=$(__gover_versions) ;;
      {{else if .Words}}{{range $i, $n := .Names}}{{if $i}}|{{end}}{{q $n}}{{end}}) w={{words .Words}} ;;
      {{end}}{{end}}*) COMPREPLY=($(compgen -f -- "$cur")); return ;;
      esac
    fi
  fi
  COMPREPLY=($(compgen -W "$w" -- "$cur"))
}
complete -F __gover_complete gover
`

const zshCompletion = `# gover completion for zsh (after compinit): source <(gover completion zsh)
__gover_versions() {
  local d v
  for d in {{q .Versions}}/go*(N/); do
    v=${d:t}
    [[ $v == *-* ]] || print -r -- ${v#go}
  done
}
__gover_complete() {
  local cmd=${words[2]-} cur=${words[CURRENT]-}
  local -a w
  if ((CURRENT == 2)); then
    w=({{qwords .Top}})
  else
    if ((CURRENT > 3)); then
      case "$cmd ${words[3]}" in
      {{range .Nested}}{{q .}}) cmd="$cmd ${words[3]}" ;;
      {{end}}esac
    fi
    if [[ $cur == -* ]]; then
      case $cmd in
      {{range .Commands}}{{range $i, $n := .Names}}{{if $i}}|{{end}}{{q $n}}{{end}}) w=({{qwords .Flags}}) ;;
      {{end}}esac
    else
      case $cmd in
      {{range .Commands}}{{if .Versions}}{{range $i, $n := .Names}}{{if $i}}|{{end}}{{q $n}}{{end}}) w=(${(f)"$(__gover_versions)"}) ;;
      {{else if .Words}}{{range $i, $n := .Names}}{{if $i}}|{{end}}{{q $n}}{{end}}) w=({{qwords .Words}}) ;;
      {{end}}{{end}}*) _files; return ;;
      esac
    fi
  fi
  compadd -- $w
}
if (($+functions[compdef])); then compdef __gover_complete gover; fi
`

const fishCompletionHead = `# gover completion for fish: gover completion fish | source
function __gover_versions
  for d in {{q .Versions}}/go*/
    set -l v (string replace -r '.*/go([^/]*)/$' '$1' -- $d)
    string match -q -- '*-*' $v; or echo $v
  end
end
complete -c gover -e
complete -c gover -f
complete -c gover -n __fish_use_subcommand -a {{words .Top}}
`

const pwshCompletion = `# gover completion for PowerShell: gover completion pwsh | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName gover -ScriptBlock {
  param($word, $ast, $cursor)
  $words = @($ast.CommandElements | ForEach-Object { $_.ToString() })
  $flags = @{
{{- range .Commands}}{{$c := .}}{{range .Names}}
    {{q .}} = @({{range $k, $f := $c.Flags}}{{if $k}}, {{end}}{{q $f}}{{end}})
{{- end}}{{end}}
  }
  $fixed = @{
{{- range .Commands}}{{$c := .}}{{range .Names}}
    {{q .}} = @({{range $k, $f := $c.Words}}{{if $k}}, {{end}}{{q $f}}{{end}})
{{- end}}{{end}}
  }
  $versioned = @({{$first := true}}{{range .Commands}}{{if .Versions}}{{range .Names}}{{if not $first}}, {{end}}{{$first = false}}{{q .}}{{end}}{{end}}{{end}})
  if ($words.Count -lt 2 -or ($words.Count -eq 2 -and $word)) {
    $candidates = @({{range $i, $c := .Top}}{{if $i}}, {{end}}{{q $c}}{{end}})
  } else {
    $cmd = $words[1]
    if ($words.Count -gt 3 -or ($words.Count -eq 3 -and -not $word)) {
      if ($flags.ContainsKey("$cmd $($words[2])")) { $cmd = "$cmd $($words[2])" }
    }
    if ($word -like '-*') {
      $candidates = $flags[$cmd]
    } elseif ($cmd -in $versioned) {
      $candidates = @(Get-ChildItem -LiteralPath {{q .Versions}} -Directory -Filter 'go*' -ErrorAction SilentlyContinue |
        Where-Object { $_.Name -notlike '*-*' } | ForEach-Object { $_.Name.Substring(2) })
    } else {
      $candidates = $fixed[$cmd]
    }
  }
  @($candidates) | Where-Object { $_ -and $_ -like "$word*" } | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`

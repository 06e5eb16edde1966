package shell

import "strings"

type pwsh struct{}

func (pwsh) Name() string { return "pwsh" }

// Quote: in PowerShell single quotes everything is literal but the quote
// itself, doubled — and PowerShell takes the typographic single quotes
// (‘ ’ ‚ ‛) as quotes too, so they are doubled as well.
func (pwsh) Quote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201A', '\u201B':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

func (sh pwsh) Set(name, v string) string { return "$env:" + name + " = " + sh.Quote(v) }

func (pwsh) Unset(name string) string {
	return "Remove-Item -LiteralPath Env:" + name + " -ErrorAction SilentlyContinue"
}

func (sh pwsh) Init(o Init) string { return render("pwsh", pwshInit, sh, o) }

func (sh pwsh) Completion(c Completion) string {
	return render("pwsh completion", pwshCompletion, sh, c)
}

// Fresh compares case-sensitively (-cne): a refresh too many costs a
// process, a missed change runs the wrong toolchain.
func (sh pwsh) Fresh(c Check) string {
	var b strings.Builder
	b.WriteString("function global:__gover_fresh {\n")
	b.WriteString("  if ($PWD.ProviderPath -cne " + sh.Quote(c.Dir) + ") { return $false }\n")
	for _, v := range c.Vars {
		b.WriteString("  if (\"$env:" + v.Name + "\" -cne " + sh.Quote(v.Value) + ") { return $false }\n")
	}
	for _, p := range c.Absent {
		b.WriteString("  if (Test-Path -LiteralPath " + sh.Quote(p) + ") { return $false }\n")
	}
	for _, d := range c.Dirs {
		b.WriteString("  if (-not (Test-Path -LiteralPath " + sh.Quote(d) + " -PathType Container)) { return $false }\n")
	}
	for _, f := range c.Files {
		b.WriteString("  try { if ([IO.File]::ReadAllText(" + sh.Quote(f.Path) + ").TrimEnd([char]10) -cne " + sh.Quote(f.trimmed()) + ") { return $false } } catch { return $false }\n")
	}
	b.WriteString("  return $true\n}\n")
	return b.String()
}

const pwshInit = `# gover shell integration for PowerShell{{if .Hook}}, hook mode{{end}}. In $PROFILE:
#   Invoke-Expression (& gover init pwsh{{if .Hook}} --hook{{end}} | Out-String)
{{- if not .Hook}}
# The shims go first on PATH, once, however often this is loaded.
$__gover_sep = [IO.Path]::PathSeparator
$env:PATH = (@({{q .Shims}}) + @(($env:PATH -split $__gover_sep) | Where-Object { $_ -and $_ -ne {{q .Shims}} })) -join $__gover_sep
{{- end}}

# 'gover shell' changes this shell, so gover prints code and the function runs it.
function global:gover {
  if ($args.Count -gt 0 -and $args[0] -eq 'shell' -and -not ($args -contains '--help' -or $args -contains '-h')) {
    $env:GOVER_SHELL = 'pwsh'
    try { $out = & {{q .Gover}} @args | Out-String } finally { Remove-Item -LiteralPath Env:GOVER_SHELL -ErrorAction SilentlyContinue }
    if ($LASTEXITCODE -eq 0 -and $out) { Invoke-Expression $out }
  } else {
    & {{q .Gover}} @args
  }
{{- if .Hook}}
  $c = $global:LASTEXITCODE
  function global:__gover_fresh { $false }
  __gover_hook
  $global:LASTEXITCODE = $c
{{- end}}
}

{{completion .Completion -}}
{{- if .Hook}}

# Hook mode: before each prompt, apply the toolchain this folder selects
# when something changed. $LASTEXITCODE is kept.
function global:__gover_fresh { $false }
function global:__gover_hook {
  if (-not (__gover_fresh)) {
    $env:GOVER_SHELL = 'pwsh'
    try { $out = & {{q .Gover}} env --hook | Out-String } finally { Remove-Item -LiteralPath Env:GOVER_SHELL -ErrorAction SilentlyContinue }
    if ($LASTEXITCODE -eq 0 -and $out) { Invoke-Expression $out }
  }
}
if (-not (Test-Path Variable:global:__gover_prompt)) {
  $global:__gover_prompt = $function:prompt
  function global:prompt {
    $c = $global:LASTEXITCODE
    __gover_hook
    $global:LASTEXITCODE = $c
    & $global:__gover_prompt
  }
}
# And once now: 'pwsh -c' or an IDE's task may run before any prompt.
__gover_hook
{{- end}}
`

package release

// A simulated GitHub Actions runner for action.yml: a reader for the YAML
// the action is written in, the expression language of its if: and ${{ }},
// and the runner's file commands, as actions/runner implements them. The
// steps' shell runs for real.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// parseYAML reads the block-style YAML subset action files use: mappings,
// sequences, plain and quoted scalars, literal blocks (|) and comments.
func parseYAML(src string) (any, error) {
	p := &yamlParser{}
	for i, raw := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		text := strings.TrimLeft(raw, " ")
		if strings.HasPrefix(text, "\t") {
			return nil, fmt.Errorf("line %d: tab in indentation", i+1)
		}
		p.lines = append(p.lines, yamlLine{indent: len(raw) - len(text), text: text, raw: raw, num: i + 1})
	}
	p.skip()
	if p.i >= len(p.lines) {
		return nil, nil
	}
	v, err := p.node(p.lines[p.i].indent)
	if err != nil {
		return nil, err
	}
	if p.skip(); p.i < len(p.lines) {
		return nil, fmt.Errorf("line %d: unexpected %q", p.lines[p.i].num, p.lines[p.i].text)
	}
	return v, nil
}

type yamlLine struct {
	indent    int
	text, raw string
	num       int
}

type yamlParser struct {
	lines []yamlLine
	i     int
}

// skip passes blank and comment lines.
func (p *yamlParser) skip() {
	for p.i < len(p.lines) {
		t := p.lines[p.i].text
		if t != "" && !strings.HasPrefix(t, "#") {
			return
		}
		p.i++
	}
}

// node reads the mapping or sequence at indent.
func (p *yamlParser) node(indent int) (any, error) {
	l := &p.lines[p.i]
	if l.text == "-" || strings.HasPrefix(l.text, "- ") {
		var seq []any
		for {
			p.skip()
			if p.i >= len(p.lines) || p.lines[p.i].indent != indent || !(p.lines[p.i].text == "-" || strings.HasPrefix(p.lines[p.i].text, "- ")) {
				return seq, nil
			}
			l := &p.lines[p.i]
			rest := strings.TrimLeft(strings.TrimPrefix(l.text, "-"), " ")
			if rest == "" {
				p.i++
				p.skip()
				v, err := p.node(p.lines[p.i].indent)
				if err != nil {
					return nil, err
				}
				seq = append(seq, v)
				continue
			}
			// "- key: value" opens a mapping indented to where key starts.
			l.indent += len(l.text) - len(rest)
			l.text = rest
			if !strings.Contains(rest, ":") || strings.HasPrefix(rest, "'") || strings.HasPrefix(rest, "\"") {
				p.i++
				s, err := scalar(rest, l.num)
				if err != nil {
					return nil, err
				}
				seq = append(seq, s)
				continue
			}
			v, err := p.node(l.indent)
			if err != nil {
				return nil, err
			}
			seq = append(seq, v)
		}
	}
	m := map[string]any{}
	for {
		p.skip()
		if p.i >= len(p.lines) || p.lines[p.i].indent < indent {
			return m, nil
		}
		l := p.lines[p.i]
		if l.indent > indent {
			return nil, fmt.Errorf("line %d: unexpected indentation", l.num)
		}
		if strings.HasPrefix(l.text, "- ") {
			return m, nil
		}
		key, value, ok := strings.Cut(l.text, ":")
		if !ok || value != "" && value[0] != ' ' {
			return nil, fmt.Errorf("line %d: want key: value, have %q", l.num, l.text)
		}
		if _, dup := m[key]; dup {
			return nil, fmt.Errorf("line %d: key %q twice", l.num, key)
		}
		value = strings.TrimSpace(value)
		p.i++
		switch {
		case value == "|" || value == "|-":
			m[key] = p.block(indent, value == "|-")
		case value == "" || strings.HasPrefix(value, "#"):
			p.skip()
			if p.i < len(p.lines) && (p.lines[p.i].indent > indent || p.lines[p.i].indent == indent && strings.HasPrefix(p.lines[p.i].text, "- ")) {
				v, err := p.node(p.lines[p.i].indent)
				if err != nil {
					return nil, err
				}
				m[key] = v
			} else {
				m[key] = ""
			}
		case strings.HasPrefix(value, "{") || strings.HasPrefix(value, "[") || strings.HasPrefix(value, ">") || strings.HasPrefix(value, "&") || strings.HasPrefix(value, "*"):
			return nil, fmt.Errorf("line %d: %q is YAML this reader does not know", l.num, value)
		default:
			s, err := scalar(value, l.num)
			if err != nil {
				return nil, err
			}
			m[key] = s
		}
	}
}

// block reads a literal block scalar below a key at indent.
func (p *yamlParser) block(indent int, strip bool) string {
	var out []string
	blockIndent := -1
	for p.i < len(p.lines) {
		l := p.lines[p.i]
		if l.text == "" {
			out = append(out, "")
			p.i++
			continue
		}
		if l.indent <= indent {
			break
		}
		if blockIndent < 0 {
			blockIndent = l.indent
		}
		if l.indent < blockIndent {
			break
		}
		out = append(out, l.raw[blockIndent:])
		p.i++
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	s := strings.Join(out, "\n")
	if !strip {
		s += "\n"
	}
	return s
}

// scalar reads a plain or quoted one-line scalar.
func scalar(v string, num int) (string, error) {
	switch {
	case strings.HasPrefix(v, "'"):
		end := strings.LastIndex(v, "'")
		if end == 0 {
			return "", fmt.Errorf("line %d: unterminated quote", num)
		}
		return strings.ReplaceAll(v[1:end], "''", "'"), nil
	case strings.HasPrefix(v, "\""):
		end := strings.LastIndex(v, "\"")
		s, err := strconv.Unquote(v[:end+1])
		if err != nil {
			return "", fmt.Errorf("line %d: %v", num, err)
		}
		return s, nil
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	if strings.ContainsAny(v[:1], "@`%!&*|>") {
		return "", fmt.Errorf("line %d: a plain scalar cannot start with %q", num, v[:1])
	}
	return v, nil
}

// expr evaluates a GitHub Actions expression over string values: property
// paths, 'literals', ==, != (case-insensitive, as GitHub compares strings),
// !, &&, || and parentheses. Truthy means not empty.
func expr(src string, lookup func(path string) string) (string, error) {
	e := &exprParser{src: src, lookup: lookup}
	v, err := e.or()
	if err != nil {
		return "", err
	}
	if e.space(); e.pos != len(e.src) {
		return "", fmt.Errorf("expression %q: unexpected %q", src, e.src[e.pos:])
	}
	return v, nil
}

type exprParser struct {
	src    string
	pos    int
	lookup func(string) string
}

func (e *exprParser) space() {
	for e.pos < len(e.src) && e.src[e.pos] == ' ' {
		e.pos++
	}
}

func (e *exprParser) eat(tok string) bool {
	e.space()
	if strings.HasPrefix(e.src[e.pos:], tok) {
		e.pos += len(tok)
		return true
	}
	return false
}

func truth(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func (e *exprParser) or() (string, error) {
	v, err := e.and()
	for err == nil && e.eat("||") {
		var w string
		w, err = e.and()
		if v == "" {
			v = w
		}
	}
	return v, err
}

func (e *exprParser) and() (string, error) {
	v, err := e.cmp()
	for err == nil && e.eat("&&") {
		var w string
		w, err = e.cmp()
		if v != "" {
			v = w
		}
	}
	return v, err
}

func (e *exprParser) cmp() (string, error) {
	v, err := e.unary()
	if err != nil {
		return "", err
	}
	for _, op := range []string{"==", "!="} {
		if e.eat(op) {
			w, err := e.unary()
			if err != nil {
				return "", err
			}
			return truth(strings.EqualFold(v, w) == (op == "==")), nil
		}
	}
	return v, nil
}

func (e *exprParser) unary() (string, error) {
	if e.eat("!") {
		v, err := e.unary()
		return truth(v == ""), err
	}
	if e.eat("(") {
		v, err := e.or()
		if err == nil && !e.eat(")") {
			err = fmt.Errorf("expression %q: no closing )", e.src)
		}
		return v, err
	}
	e.space()
	if e.pos < len(e.src) && e.src[e.pos] == '\'' {
		end := strings.IndexByte(e.src[e.pos+1:], '\'')
		if end < 0 {
			return "", fmt.Errorf("expression %q: unterminated string", e.src)
		}
		s := e.src[e.pos+1 : e.pos+1+end]
		e.pos += end + 2
		return s, nil
	}
	start := e.pos
	for e.pos < len(e.src) && (strings.IndexByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", e.src[e.pos]) >= 0) {
		e.pos++
	}
	if start == e.pos {
		return "", fmt.Errorf("expression %q: unexpected %q", e.src, e.src[e.pos:])
	}
	switch path := e.src[start:e.pos]; path {
	case "true":
		return "true", nil
	case "false":
		return "", nil
	default:
		return e.lookup(path), nil
	}
}

// interpolate replaces each ${{ expression }} in s.
func interpolate(s string, lookup func(string) string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(s, "${{")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return "", fmt.Errorf("%q: no closing }}", s)
		}
		v, err := expr(strings.TrimSpace(s[i+3:i+j]), lookup)
		if err != nil {
			return "", err
		}
		b.WriteString(s[:i] + v)
		s = s[i+j+2:]
	}
}

// A runner runs a composite action's steps as GitHub's runner does.
type runner struct {
	t *testing.T
	// actionPath is the action's folder (GITHUB_ACTION_PATH).
	actionPath string
	// workspace is where steps run; temp is RUNNER_TEMP; cacheStore holds
	// what actions/cache saved, one folder per key, across jobs.
	workspace, temp, cacheStore string
	// env is the job's environment before the action; GITHUB_ENV adds to it.
	env map[string]string
	// path is what GITHUB_PATH prepended, most recent first.
	path []string
	// outputs are the steps' outputs by step id.
	outputs map[string]map[string]string
	// log is every step's stdout and stderr.
	log strings.Builder
}

// runAction runs action.yml with the given inputs and returns its outputs.
func (r *runner) runAction(inputs map[string]string) (map[string]string, error) {
	data, err := os.ReadFile(filepath.Join(r.actionPath, "action.yml"))
	if err != nil {
		return nil, err
	}
	doc, err := parseYAML(string(data))
	if err != nil {
		return nil, fmt.Errorf("action.yml: %v", err)
	}
	action := doc.(map[string]any)
	in := map[string]string{}
	for name, spec := range action["inputs"].(map[string]any) {
		in[name], _ = spec.(map[string]any)["default"].(string)
	}
	for name, v := range inputs {
		if _, ok := in[name]; !ok {
			return nil, fmt.Errorf("action.yml has no input %q", name)
		}
		in[name] = v
	}
	runs := action["runs"].(map[string]any)
	if runs["using"] != "composite" {
		return nil, fmt.Errorf("runs.using is %v, want composite", runs["using"])
	}
	r.outputs = map[string]map[string]string{}
	lookup := func(path string) string {
		parts := strings.Split(path, ".")
		switch {
		case len(parts) == 2 && parts[0] == "inputs":
			return in[parts[1]]
		case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
			return r.outputs[parts[1]][parts[3]]
		case path == "runner.os":
			return "Linux"
		case path == "runner.temp":
			return r.temp
		case path == "github.action_path":
			return r.actionPath
		}
		r.t.Errorf("action.yml uses %q, which the simulated runner does not know", path)
		return ""
	}
	for i, s := range runs["steps"].([]any) {
		step := s.(map[string]any)
		if err := r.step(i, step, lookup); err != nil {
			return nil, fmt.Errorf("step %d (%v): %w", i+1, step["name"], err)
		}
	}
	out := map[string]string{}
	for name, spec := range action["outputs"].(map[string]any) {
		v, err := interpolate(spec.(map[string]any)["value"].(string), lookup)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

func (r *runner) step(i int, step map[string]any, lookup func(string) string) error {
	if cond, ok := step["if"].(string); ok {
		cond = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(cond), "${{"), "}}")
		v, err := expr(strings.TrimSpace(cond), lookup)
		if err != nil {
			return err
		}
		if v == "" {
			return nil
		}
	}
	id, _ := step["id"].(string)
	if id == "" {
		id = fmt.Sprintf("__step%d", i)
	}
	if uses, ok := step["uses"].(string); ok {
		with := map[string]string{}
		for k, v := range step["with"].(map[string]any) {
			s, err := interpolate(v.(string), lookup)
			if err != nil {
				return err
			}
			with[k] = s
		}
		out, err := r.uses(uses, with)
		r.outputs[id] = out
		return err
	}
	run, ok := step["run"].(string)
	if !ok {
		return fmt.Errorf("neither run nor uses")
	}
	if strings.Contains(run, "${{") {
		// Expressions in run: are pasted into the script before the shell
		// sees it: a script injection waiting for an odd input.
		return fmt.Errorf("run: uses ${{ }}; pass values through env: instead")
	}
	var shell []string
	switch step["shell"] {
	case "bash":
		shell = []string{"bash", "--noprofile", "--norc", "-eo", "pipefail"}
	case "sh":
		shell = []string{"sh", "-e"}
	default:
		return fmt.Errorf("shell %v: composite steps here use bash or sh", step["shell"])
	}
	dir := filepath.Join(r.temp, "_runner_file_commands", fmt.Sprint(i))
	os.MkdirAll(dir, 0o755)
	files := map[string]string{}
	for _, f := range []string{"GITHUB_PATH", "GITHUB_ENV", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		files[f] = filepath.Join(dir, f)
		os.WriteFile(files[f], nil, 0o644)
	}
	script := filepath.Join(dir, "script.sh")
	os.WriteFile(script, []byte(run), 0o644)

	env := map[string]string{}
	for k, v := range r.env {
		env[k] = v
	}
	env["PATH"] = strings.Join(append(append([]string(nil), r.path...), r.env["PATH"]), string(os.PathListSeparator))
	for k, v := range files {
		env[k] = v
	}
	env["GITHUB_ACTION_PATH"] = r.actionPath
	env["RUNNER_TEMP"] = r.temp
	if se, ok := step["env"].(map[string]any); ok {
		for k, v := range se {
			s, err := interpolate(v.(string), lookup)
			if err != nil {
				return err
			}
			env[k] = s
		}
	}
	cmd := exec.Command(shell[0], append(shell[1:], script)...)
	cmd.Dir = r.workspace
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = &r.log, &r.log
	fmt.Fprintf(&r.log, "::group::%v\n", step["name"])
	err := cmd.Run()
	fmt.Fprintf(&r.log, "::endgroup::\n")
	if err != nil {
		return err
	}
	// The runner's file commands (actions/runner, FileCommandManager).
	if data, _ := os.ReadFile(files["GITHUB_PATH"]); len(data) > 0 {
		for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				r.path = append([]string{l}, r.path...)
			}
		}
	}
	if data, _ := os.ReadFile(files["GITHUB_ENV"]); len(data) > 0 {
		for k, v := range parseGitHubFile(r.t, string(data)) {
			r.env[k] = v
		}
	}
	r.outputs[id] = map[string]string{}
	if data, _ := os.ReadFile(files["GITHUB_OUTPUT"]); len(data) > 0 {
		r.outputs[id] = parseGitHubFile(r.t, string(data))
	}
	return nil
}

// uses runs the actions the composite action calls: only actions/cache's
// restore and save, simulated with a folder per key.
func (r *runner) uses(uses string, with map[string]string) (map[string]string, error) {
	key := with["key"]
	var paths []string
	for _, p := range strings.Split(with["path"], "\n") {
		if p = strings.TrimSpace(p); p != "" {
			paths = append(paths, p)
		}
	}
	if key == "" || len(paths) == 0 {
		return nil, fmt.Errorf("%s: key %q, path %q: both are required", uses, key, with["path"])
	}
	stored := filepath.Join(r.cacheStore, key)
	switch uses {
	case "actions/cache/restore@v4":
		if _, err := os.Stat(stored); err != nil {
			fmt.Fprintf(&r.log, "Cache not found for input keys: %s\n", key)
			return map[string]string{"cache-hit": "false"}, nil
		}
		for _, p := range paths {
			if err := copyTree(filepath.Join(stored, p), p); err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(&r.log, "Cache restored from key: %s\n", key)
		return map[string]string{"cache-hit": "true", "cache-primary-key": key, "cache-matched-key": key}, nil
	case "actions/cache/save@v4":
		if _, err := os.Stat(stored); err == nil {
			fmt.Fprintf(&r.log, "Warning: cache entry with key %s already exists\n", key)
			return nil, nil
		}
		for _, p := range paths {
			if _, err := os.Lstat(p); err != nil {
				return nil, fmt.Errorf("%s: path %s: %w", uses, p, err)
			}
			if err := copyTree(p, filepath.Join(stored, p)); err != nil {
				return nil, err
			}
		}
		fmt.Fprintf(&r.log, "Cache saved with key: %s\n", key)
		return nil, nil
	}
	return nil, fmt.Errorf("uses %s: the simulated runner knows only actions/cache/restore@v4 and actions/cache/save@v4", uses)
}

// copyTree copies a file or folder with its modes and links, as the cache's tar does.
func copyTree(from, to string) error {
	return filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		switch {
		case fi.IsDir():
			return os.MkdirAll(dst, fi.Mode().Perm()|0o700)
		case fi.Mode()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			os.MkdirAll(filepath.Dir(dst), 0o755)
			return os.Symlink(target, dst)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		return os.WriteFile(dst, data, fi.Mode().Perm())
	})
}

// parseGitHubFile reads a GITHUB_ENV or GITHUB_OUTPUT file as the runner
// does: NAME=VALUE lines, and NAME<<DELIMITER … DELIMITER for values with
// line breaks.
func parseGitHubFile(t *testing.T, s string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if l == "" {
			continue
		}
		eq, heredoc := strings.Index(l, "="), strings.Index(l, "<<")
		if eq >= 0 && (heredoc < 0 || eq < heredoc) {
			vars[l[:eq]] = l[eq+1:]
			continue
		}
		if heredoc < 0 {
			t.Fatalf("line %q is neither NAME=VALUE nor NAME<<DELIMITER", l)
		}
		name, delim := l[:heredoc], l[heredoc+2:]
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s: no closing %s", name, delim)
		}
		vars[name] = strings.Join(val, "\n")
	}
	return vars
}

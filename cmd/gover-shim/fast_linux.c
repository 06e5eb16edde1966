//go:build cgo

// The shim's fast path: a constructor that runs when the binary is loaded,
// before the Go runtime starts its threads, scheduler and heap (runc's
// nsenter acts at the same moment). When it can decide the common case with
// certainty it execs the toolchain itself and the Go runtime never starts;
// in every other case it returns with nothing changed, and main.go decides
// as in a build without cgo.
//
// The common case: the version comes from GOVER_VERSION or the nearest
// .go-version walking up from the working directory (selection.Find's
// first two rules, so no .tool-versions, go.work or go.mod can change the
// answer) and is one exact version word; the layout's root is an absolute
// path from GOVER_ROOT, XDG_DATA_HOME or HOME; and the toolchain's folder is
// a real folder owned by this user or root that no one else may write. The
// program runs with toolenv.Env's environment. Anything else - a line or
// range word, "system", a pin it cannot read with certainty (a link, a
// FIFO, a large file, text it does not know), an error, a missing toolchain
// (the execve fails), auto-install - is left to the Go code.
//
// It never prints, never fails on its own and never blocks: a pin file is
// looked at with lstat before it is opened, and opened O_NONBLOCK.
//
// These are the Go code's rules written a second time, so a differential
// fuzz test (fast_linux_test.go) holds the two together: whenever this code
// decides, its program, arguments and environment must equal what the Go
// shim would exec.
//
// glibc passes argc, argv and envp to constructors; other C libraries
// (musl) pass nothing, so the fast path exists only with glibc. It needs
// the external linker, cgo's default for a package with C files.

#include <stdlib.h> // first: it defines __GLIBC__

#if defined(__GLIBC__)

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// As in main.go; the fuzz test checks them.
#define DEPTH_VAR "GOVER_SHIM_DEPTH"
enum {
	maxDepth = 8,  // main.go's maxDepth
	maxPin = 1024, // a larger .go-version is left to the Go code,
	maxGoEnv = 16384, // and a larger go env file,
	maxWord = 64,  // and so is a longer version word,
	maxEnv = 1024, // and a larger environment.
};

// A str is a byte slice: pin files may hold NUL bytes.
struct str {
	const char *p;
	size_t n;
};

static int has_prefix(struct str s, const char *prefix) {
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

static struct str drop(struct str s, size_t n) { return (struct str){s.p + n, s.n - n}; }

// The environment values the decision reads, by index.
enum { ROOT, DATA, HOME, VERSION, DEPTH, PWD, PATHV, TOOLCHAIN, GOENV, CONFIG, NVARS };
static const char *const names[NVARS] = {
    "GOVER_ROOT", "XDG_DATA_HOME", "HOME", "GOVER_VERSION", DEPTH_VAR, "PWD", "PATH", "GOTOOLCHAIN", "GOENV", "XDG_CONFIG_HOME",
};

// key_len is the length of an environment entry's name, or -1 without "=".
static ssize_t key_len(const char *e) {
	const char *eq = strchr(e, '=');
	return eq ? eq - e : -1;
}

static int is_key(const char *e, ssize_t n, const char *key) {
	return n >= 0 && strlen(key) == (size_t)n && memcmp(e, key, n) == 0;
}

// scan sets v[i] to the value of names[i] in envp. Go's os.Getenv and
// os.Environ keep the first of duplicate entries, and so does scan.
static void scan(char **envp, const char **v) {
	for (char **e = envp; *e; e++) {
		ssize_t n = key_len(*e);
		for (int i = 0; i < NVARS; i++) {
			if (is_key(*e, n, names[i])) {
				if (!v[i])
					v[i] = *e + n + 1;
				break;
			}
		}
	}
}

// set reports whether a variable is set to something: Go reads an empty
// value as unset.
static int set(const char *s) { return s && *s; }

// clean is filepath.Clean for an absolute path p of n bytes, into out (at
// least n+1 bytes: a rooted path never grows). It returns the length.
static size_t clean(const char *p, size_t n, char *out) {
	size_t r = 1, w = 1;
	out[0] = '/';
	while (r < n) {
		if (p[r] == '/') {
			r++;
		} else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
			r++;
		} else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
			r += 2;
			while (w > 1 && out[--w] != '/') {
			}
		} else {
			if (w != 1)
				out[w++] = '/';
			while (r < n && p[r] != '/')
				out[w++] = p[r++];
		}
	}
	out[w] = 0;
	return w;
}

// join writes dir (clean, absolute, dn bytes) + "/" + name into out
// (PATH_MAX bytes), as filepath.Join does; 0 when it does not fit.
static int join(char *out, const char *dir, size_t dn, const char *name) {
	size_t nn = strlen(name);
	if (dn == 1)
		dn = 0; // "/" + "/name" would double the slash
	if (dn + 1 + nn + 1 > PATH_MAX)
		return 0;
	memmove(out, dir, dn);
	out[dn] = '/';
	memcpy(out + dn + 1, name, nn + 1);
	return 1;
}

// absolute cleans s, which must be an absolute path, into out (PATH_MAX
// bytes); 0 when it is not one or too long.
static int absolute(const char *s, char *out) {
	size_t n = strlen(s);
	if (s[0] != '/' || n >= PATH_MAX)
		return 0;
	clean(s, n, out);
	return 1;
}

// versions_dir is paths.FromEnv's Versions folder: GOVER_ROOT/versions,
// else XDG_DATA_HOME/gover/versions, else HOME/.local/share/gover/versions.
// Relative and "~" values, which the Go code refuses or resolves, decline;
// so does a HOME that is not absolute (the Go code then asks the user
// database, and it needs a home whenever any XDG folder falls back to it).
static int versions_dir(const char **v, char *out) {
	char base[PATH_MAX], home[PATH_MAX];
	if (set(v[ROOT]))
		return absolute(v[ROOT], base) && join(out, base, strlen(base), "versions");
	if (!set(v[HOME]) || !absolute(v[HOME], home))
		return 0;
	if (set(v[DATA]))
		return absolute(v[DATA], base) && join(out, base, strlen(base), "gover/versions");
	return join(base, home, strlen(home), ".local/share/gover") && join(out, base, strlen(base), "versions");
}

static int same_file(const char *a, const char *b) {
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

// work_dir is main.go's workDir: $PWD when it names the working directory,
// else getcwd, into out (PATH_MAX bytes). A $PWD that filepath.Clean would
// change declines: the Go walk up from it visits other folders than its
// parents.
static int work_dir(const char **v, char *out) {
	if (!getcwd(out, PATH_MAX) || out[0] != '/')
		return 0;
	const char *pwd = v[PWD];
	if (!set(pwd) || pwd[0] != '/' || strcmp(pwd, out) == 0 || !same_file(pwd, out))
		return 1;
	size_t n = strlen(pwd);
	char c[PATH_MAX];
	if (n >= PATH_MAX || clean(pwd, n, c) != n || memcmp(c, pwd, n) != 0)
		return 0;
	memcpy(out, pwd, n + 1);
	return 1;
}

// digits is the length of the decimal number at the start of s, 0 when
// there is none or it has a needless leading zero (as go/version reads).
static size_t digits(struct str s) {
	size_t i = 0;
	while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')
		i++;
	return i == 0 || (s.p[0] == '0' && i != 1) ? 0 : i;
}

// exact reads an exact version word as goversion.Parse does - "1.22.5",
// "go1.22.5", "1.23rc1", "go1.21beta2" - into out as "go1.22.5" (maxWord+4
// bytes). A line ("1.22"), "latest", "system" and anything else decline.
static int exact(struct str w, char *out) {
	if (w.n > maxWord)
		return 0;
	struct str v = has_prefix(w, "go") ? drop(w, 2) : w;
	if (!has_prefix(v, "1."))
		return 0;
	struct str after = drop(v, 2); // "22.5"
	size_t mn = digits(after);
	if (mn == 0)
		return 0;
	struct str rest = drop(after, mn); // ".5"
	if (has_prefix(rest, ".")) {
		struct str patch = drop(rest, 1);
		if (digits(patch) == 0 || digits(patch) != patch.n)
			return 0;
	} else if (has_prefix(rest, "rc") || has_prefix(rest, "beta")) {
		struct str k = drop(rest, rest.p[0] == 'r' ? 2 : 4);
		if (digits(k) == 0 || digits(k) != k.n)
			return 0;
	} else {
		return 0; // "go1.22" is a line, not a release
	}
	memcpy(out, "go1.", 4);
	memcpy(out + 4, after.p, after.n);
	out[4 + after.n] = 0;
	// Before Go 1.21 the first release of a line was go1.N, never go1.N.0.
	if (rest.n == 2 && rest.p[0] == '.' && rest.p[1] == '0' && (mn == 1 || (mn == 2 && memcmp(after.p, "21", 2) < 0)))
		out[4 + mn] = 0;
	return 1;
}

static int blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// pin_word finds the one word of a .go-version as selection's lines does:
// a UTF-8 byte order mark, carriage returns, blank lines and # comments (at
// the start of a line or after a blank) dropped. A byte outside ASCII
// outside a comment declines (Go trims Unicode spaces too); so do no word
// and two words.
static int pin_word(struct str data, struct str *word) {
	if (has_prefix(data, "\xEF\xBB\xBF"))
		data = drop(data, 3);
	int found = 0;
	for (;;) {
		const char *nl = memchr(data.p, '\n', data.n);
		struct str line = {data.p, nl ? (size_t)(nl - data.p) : data.n};
		const char *hash = memchr(line.p, '#', line.n);
		if (hash && (hash == line.p || hash[-1] == ' ' || hash[-1] == '\t'))
			line.n = hash - line.p;
		for (size_t i = 0; i < line.n; i++)
			if ((unsigned char)line.p[i] >= 0x80)
				return 0;
		while (line.n > 0 && blank(line.p[0]))
			line = drop(line, 1);
		while (line.n > 0 && blank(line.p[line.n - 1]))
			line.n--;
		if (line.n > 0) {
			if (found)
				return 0;
			*word = line;
			found = 1;
		}
		if (!nl)
			return found;
		data = drop(data, nl + 1 - data.p);
	}
}

// read_small reads the regular file name of at most max bytes into buf
// (max+1 bytes) and returns its length; -1 when there is no such file, -2
// for anything else. It follows a symbolic link only when follow is set.
static ssize_t read_small(const char *name, char *buf, ssize_t max, int follow) {
	struct stat st;
	if ((follow ? stat(name, &st) : lstat(name, &st)) != 0)
		return errno == ENOENT || errno == ENOTDIR ? -1 : -2;
	if (!S_ISREG(st.st_mode) || st.st_size > max)
		return -2;
	int fd = open(name, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
	if (fd < 0)
		return -2;
	ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? 0 : -2;
	while (n >= 0 && n <= max) {
		ssize_t r = read(fd, buf + n, max + 1 - n);
		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		n = r < 0 ? -2 : n + r;
	}
	close(fd);
	return n > max ? -2 : n;
}

// pinned is selection.Find's first two rules for an exact word: the
// version GOVER_VERSION names, else the one the nearest .go-version above
// wd names, into version (maxWord+4 bytes).
static int pinned(const char **v, const char *wd, char *version) {
	if (set(v[VERSION]))
		return exact((struct str){v[VERSION], strlen(v[VERSION])}, version);
	char dir[PATH_MAX], file[PATH_MAX], buf[maxPin + 1];
	size_t n = strlen(wd);
	memcpy(dir, wd, n + 1);
	for (;;) {
		if (!join(file, dir, n, ".go-version"))
			return 0;
		ssize_t got = read_small(file, buf, maxPin, 0);
		if (got == -2)
			return 0;
		if (got >= 0) {
			struct str word;
			return pin_word((struct str){buf, got}, &word) && exact(word, version);
		}
		if (n == 1)
			return 0; // none up to the root: later rules decide
		// filepath.Dir: drop the last element, and its slash unless it is the root's.
		while (dir[n - 1] != '/')
			n--;
		if (n > 1)
			n--;
	}
}

// go_env_toolchain reports whether the user chose GOTOOLCHAIN with 'go env
// -w' (docs/shims.md, "The user's own GOTOOLCHAIN"): the go env file -
// $GOENV, else $XDG_CONFIG_HOME/go/env, else $HOME/.config/go/env, found as
// cmd/go finds it - has a line starting "GOTOOLCHAIN=". It returns 1 when
// it has, 0 when it has not (or there is no file), -1 when the file cannot
// be read with certainty.
static int go_env_toolchain(const char **v) {
	char file[PATH_MAX];
	const char *dir = v[CONFIG], *tail = "/go/env";
	if (set(v[GOENV])) {
		if (strcmp(v[GOENV], "off") == 0)
			return 0;
		if (v[GOENV][0] != '/')
			return -1;
		dir = v[GOENV], tail = "";
	} else if (set(dir)) {
		if (dir[0] != '/')
			return 0; // os.UserConfigDir refuses it: no file
	} else if (set(v[HOME])) {
		dir = v[HOME], tail = "/.config/go/env";
	} else {
		return 0;
	}
	if (strlen(dir) + strlen(tail) >= PATH_MAX)
		return -1;
	stpcpy(stpcpy(file, dir), tail);
	char buf[maxGoEnv + 1];
	ssize_t n = read_small(file, buf, maxGoEnv, 1);
	if (n < 0)
		return n == -1 ? 0 : -1;
	for (struct str rest = {buf, n}; rest.n > 0;) {
		if (has_prefix(rest, "GOTOOLCHAIN="))
			return 1;
		const char *nl = memchr(rest.p, '\n', rest.n);
		if (!nl)
			break;
		rest = drop(rest, nl + 1 - rest.p);
	}
	return 0;
}

// trusted reports whether goroot is a real folder (not a link) owned by
// this user or root and writable by no one else: the only toolchains the
// fast path runs. Others are the Go code's to judge.
static int trusted(const char *goroot) {
	struct stat st;
	uid_t uid = geteuid();
	return lstat(goroot, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 022) == 0 &&
	       (st.st_uid == 0 || (st.st_uid == uid && uid == getuid()));
}

// prog_ok reports whether p can name a toolchain program: a file name
// without dots (so not the test binary, gover-shim.test).
static int prog_ok(const char *p) { return *p && !strchr(p, '/') && !strchr(p, '.') && strlen(p) <= NAME_MAX; }

// path_without writes toolenv.Remove(list, dir) to out: list without the
// entries that name dir (clean and absolute) once cleaned. It returns the
// length, or -1 for an entry too long to clean.
static ssize_t path_without(const char *list, const char *dir, char *out) {
	size_t w = 0, kept = 0, dn = strlen(dir);
	char c[PATH_MAX];
	for (const char *p = list;; p++) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n >= PATH_MAX)
			return -1;
		if (n == 0 || p[0] != '/' || clean(p, n, c) != dn || memcmp(c, dir, dn) != 0) {
			if (kept++ > 0)
				out[w++] = ':';
			memcpy(out + w, p, n);
			w += n;
		}
		if (!end)
			break;
		p = end;
	}
	out[w] = 0;
	return w;
}

// environment writes toolenv.Env(os.Environ(), goroot, GOVER_SHIM_DEPTH=
// depth+1) to env: envp without empty entries, later duplicates and the
// variables it sets, then GOROOT, PATH with goroot's bin first,
// GOTOOLCHAIN=local unless it is set, and the depth. The new entries'
// text goes to strs. 0 when PATH cannot be read.
static int environment(char **envp, const char **v, const char *goroot, int depth, char **env, char *strs) {
	size_t k = 0;
	int toolchain = set(v[TOOLCHAIN]);
	for (char **e = envp; *e; e++) {
		ssize_t n = key_len(*e);
		if (!**e || is_key(*e, n, "GOROOT") || is_key(*e, n, "PATH") || is_key(*e, n, DEPTH_VAR) ||
		    (!toolchain && is_key(*e, n, "GOTOOLCHAIN")))
			continue;
		int dup = 0;
		for (char **f = envp; n >= 0 && f < e && !dup; f++)
			dup = key_len(*f) == n && memcmp(*f, *e, n) == 0;
		if (!dup)
			env[k++] = *e;
	}
	char *s = strs;
	env[k++] = s;
	s = stpcpy(stpcpy(s, "GOROOT="), goroot) + 1;
	env[k++] = s;
	char *bin = stpcpy(s, "PATH=");
	s = stpcpy(stpcpy(bin, goroot), "/bin");
	if (set(v[PATHV])) {
		ssize_t n = path_without(v[PATHV], bin, s + 1);
		if (n < 0)
			return 0;
		if (n > 0)
			*s = ':', s += 1 + n;
	}
	s++;
	if (!toolchain)
		env[k++] = "GOTOOLCHAIN=local";
	env[k++] = s;
	s = stpcpy(s, DEPTH_VAR "=");
	s[0] = '0' + depth + 1;
	s[1] = 0;
	env[k] = NULL;
	return 1;
}

// gover_fast_decide is the whole decision for a shim run with argv and
// envp in the current working directory: it returns 1 and sets *exe, *xargv
// and *xenv to what the shim execs (freed with gover_fast_free), or 0.
int gover_fast_decide(int argc, char **argv, char **envp, char **exe, char ***xargv, char ***xenv) {
	if (argc < 1 || !argv[0][0] || argv[0][strlen(argv[0]) - 1] == '/')
		return 0;
	const char *prog = strrchr(argv[0], '/'); // filepath.Base, as toolenv.ProgName
	prog = prog ? prog + 1 : argv[0];
	if (strcmp(prog, "gover-shim") == 0) {
		if (argc < 2)
			return 0;
		argv++, argc--;
		prog = argv[0];
	}
	if (!prog_ok(prog))
		return 0;

	const char *v[NVARS] = {0};
	scan(envp, v);
	int depth = 0;
	if (set(v[DEPTH])) { // one or two digits; strconv.Atoi reads more, and they decline
		const char *d = v[DEPTH];
		if (d[0] < '0' || d[0] > '9' || (d[1] && (d[1] < '0' || d[1] > '9' || d[2])))
			return 0;
		depth = atoi(d);
	}
	if (depth >= maxDepth)
		return 0;

	size_t envc = 0;
	while (envp[envc] && envc <= maxEnv)
		envc++;
	char versions[PATH_MAX], wd[PATH_MAX], version[maxWord + 4], goroot[PATH_MAX];
	if (envc > maxEnv || !versions_dir(v, versions) || !work_dir(v, wd) || !pinned(v, wd, version) ||
	    !join(goroot, versions, strlen(versions), version) || !trusted(goroot))
		return 0;
	// A GOTOOLCHAIN line in the go env file is left to the Go code.
	if (!set(v[TOOLCHAIN]) && go_env_toolchain(v) != 0)
		return 0;

	size_t gn = strlen(goroot), pn = v[PATHV] ? strlen(v[PATHV]) : 0;
	size_t need = gn + 5 + strlen(prog) + 1 // exe: goroot/bin/prog
		      + 7 + gn + 1                // GOROOT=goroot
		      + 5 + gn + 4 + 1 + pn + 1   // PATH=goroot/bin:rest
		      + sizeof DEPTH_VAR + 2;     // GOVER_SHIM_DEPTH=N
	char *strs = malloc(need);
	char **ptrs = malloc((argc + 1 + envc + 5) * sizeof *ptrs);
	if (!strs || !ptrs ||
	    !environment(envp, v, goroot, depth, ptrs + argc + 1, stpcpy(stpcpy(stpcpy(strs, goroot), "/bin/"), prog) + 1)) {
		free(strs);
		free(ptrs);
		return 0;
	}
	ptrs[0] = strs;
	memcpy(ptrs + 1, argv + 1, argc * sizeof *ptrs); // argv[1:], and its NULL
	*exe = strs;
	*xargv = ptrs;
	*xenv = ptrs + argc + 1;
	return 1;
}

void gover_fast_free(char *exe, char **xargv) {
	free(exe);
	free(xargv);
}

__attribute__((constructor)) static void gover_fast(int argc, char **argv, char **envp) {
	int saved = errno;
	char *exe, **xargv, **xenv;
	if (gover_fast_decide(argc, argv, envp, &exe, &xargv, &xenv)) {
		execve(exe, xargv, xenv);
		// Not installed, not executable, …: main.go finds out why.
		gover_fast_free(exe, xargv);
	}
	errno = saved;
}

#else

// Without glibc a constructor is not told argv and envp: no fast path.
int gover_fast_decide(int argc, char **argv, char **envp, char **exe, char ***xargv, char ***xenv) { return 0; }
void gover_fast_free(char *exe, char **xargv) {}

#endif

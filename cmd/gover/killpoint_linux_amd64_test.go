//go:build linux && amd64

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Exact kill points: the program runs under ptrace, and on entry to its
// k-th system call that changes something under a folder (creates, writes,
// renames, removes, links, chmods) it is killed with SIGKILL, before that
// call runs. Sweeping k over every such call kills the program at every
// point where what it left on disk changes, whatever the timing: after
// any number of downloaded chunks, between any two unpacked files, right
// before the rename that installs the tree.

const haveKillPoints = true

// A killRun is one run of a program with a kill point.
type killRun struct {
	// killed: the program died at the kill point.
	killed bool
	// changes counts the changing calls seen (that match accepted); when
	// the program ran to its end, all of them.
	changes int
	// at names the call it was killed before: "renameat /r/versions/.go1.22.5.tmp-1 /r/versions/go1.22.5".
	at string
	// exit is the exit code of a program that ran to its end.
	exit   int
	stderr string
	// calls describes every changing call of a run that was not killed.
	calls []string
}

// runKilledAt runs argv (argv[0] a path) in dir with env, and kills it at
// the k-th system call that changes something under root and that match
// accepts (nil: any); k <= 0 never kills, to count them.
func runKilledAt(argv, env []string, dir, root string, k int, match func(call string) bool) (killRun, error) {
	// ptrace requests must come from the thread that started the tracee.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var res killRun
	root, err := filepath.EvalSymlinks(root)
	if err != nil {
		return res, err
	}
	stderr, err := os.CreateTemp("", "gover-killpoint-")
	if err != nil {
		return res, err
	}
	defer os.Remove(stderr.Name())
	defer stderr.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return res, err
	}
	defer devnull.Close()
	p, err := os.StartProcess(argv[0], argv, &os.ProcAttr{Dir: dir, Env: env, Files: []*os.File{devnull, devnull, stderr},
		Sys: &syscall.SysProcAttr{Ptrace: true, Setpgid: true}})
	if err != nil {
		return res, err
	}
	defer p.Release()
	pid := p.Pid
	var ws unix.WaitStatus
	if _, err := unix.Wait4(pid, &ws, unix.WALL, nil); err != nil { // stopped after exec
		return res, err
	}
	if err := unix.PtraceSetOptions(pid, unix.PTRACE_O_TRACESYSGOOD|unix.PTRACE_O_TRACECLONE|unix.PTRACE_O_EXITKILL); err != nil {
		unix.Kill(pid, unix.SIGKILL)
		return res, fmt.Errorf("ptrace: %w", err)
	}
	unix.PtraceSyscall(pid, 0)
	inCall := map[int]bool{} // thread → between syscall entry and exit
	seen := map[int]bool{pid: true}
	killing := false
	for {
		// Only the tracee's threads, never another test's children: the
		// tracee leads a process group of its own.
		tid, err := unix.Wait4(-pid, &ws, unix.WALL, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return res, err
		}
		if ws.Exited() || ws.Signaled() {
			if tid != pid {
				continue
			}
			res.killed = killing && ws.Signaled() && ws.Signal() == unix.SIGKILL
			if ws.Exited() {
				res.exit = ws.ExitStatus()
			}
			b, _ := os.ReadFile(stderr.Name())
			res.stderr = string(b)
			return res, nil
		}
		if !ws.Stopped() {
			continue
		}
		sig, inject := ws.StopSignal(), 0
		switch {
		case sig == unix.SIGTRAP|0x80: // a syscall stop
			entering := !inCall[tid]
			inCall[tid] = entering
			if entering && !killing {
				if what, ok := changeUnder(tid, pid, root); ok && (match == nil || match(what)) {
					res.changes++
					if k <= 0 {
						res.calls = append(res.calls, what)
					}
					if res.changes == k {
						res.at, killing = what, true
						unix.Kill(pid, unix.SIGKILL) // the call never runs
						continue
					}
				}
			}
		case ws.TrapCause() == unix.PTRACE_EVENT_CLONE, sig == unix.SIGTRAP:
		case sig == unix.SIGSTOP && !seen[tid]: // a new thread's first stop
		default:
			inject = int(sig) // the program's own signals (the Go runtime's SIGURG)
		}
		seen[tid] = true
		unix.PtraceSyscall(tid, inject) // fails only for a thread already gone
	}
}

// changeUnder reports whether the system call thread tid is entering
// changes a file or folder under root, and describes it.
func changeUnder(tid, pid int, root string) (string, bool) {
	var r unix.PtraceRegs
	if unix.PtraceGetRegs(tid, &r) != nil {
		return "", false
	}
	a := [...]uint64{r.Rdi, r.Rsi, r.Rdx, r.R10}
	atCwd := int64(unix.AT_FDCWD)
	cwd := uint64(atCwd) // an int argument, as the kernel reads it
	at := func(dirfd, addr uint64) string { return tracePath(tid, pid, int(int32(dirfd)), addr) }
	fd := func(n uint64) string {
		p, _ := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, int32(n)))
		return p
	}
	var name string
	var paths []string
	switch r.Orig_rax {
	case unix.SYS_OPENAT:
		if a[2]&(unix.O_WRONLY|unix.O_RDWR|unix.O_CREAT|unix.O_TRUNC) == 0 {
			return "", false
		}
		name, paths = "openat", []string{at(a[0], a[1])}
	case unix.SYS_OPEN:
		if a[1]&(unix.O_WRONLY|unix.O_RDWR|unix.O_CREAT|unix.O_TRUNC) == 0 {
			return "", false
		}
		name, paths = "open", []string{at(cwd, a[0])}
	case unix.SYS_CREAT, unix.SYS_MKDIR, unix.SYS_RMDIR, unix.SYS_UNLINK, unix.SYS_TRUNCATE, unix.SYS_CHMOD:
		name, paths = "path call", []string{at(cwd, a[0])}
	case unix.SYS_MKDIRAT, unix.SYS_UNLINKAT, unix.SYS_FCHMODAT, unix.SYS_FCHOWNAT:
		name, paths = map[uint64]string{unix.SYS_MKDIRAT: "mkdirat", unix.SYS_UNLINKAT: "unlinkat", unix.SYS_FCHMODAT: "fchmodat", unix.SYS_FCHOWNAT: "fchownat"}[r.Orig_rax],
			[]string{at(a[0], a[1])}
	case unix.SYS_RENAME, unix.SYS_LINK:
		name, paths = "rename/link", []string{at(cwd, a[0]), at(cwd, a[1])}
	case unix.SYS_RENAMEAT, unix.SYS_RENAMEAT2, unix.SYS_LINKAT:
		name, paths = map[uint64]string{unix.SYS_RENAMEAT: "renameat", unix.SYS_RENAMEAT2: "renameat2", unix.SYS_LINKAT: "linkat"}[r.Orig_rax],
			[]string{at(a[0], a[1]), at(a[2], a[3])}
	case unix.SYS_SYMLINKAT:
		name, paths = "symlinkat", []string{at(a[1], a[2])}
	case unix.SYS_WRITE, unix.SYS_PWRITE64, unix.SYS_WRITEV, unix.SYS_PWRITEV, unix.SYS_FTRUNCATE, unix.SYS_FSYNC,
		unix.SYS_FDATASYNC, unix.SYS_FCHMOD, unix.SYS_FCHOWN, unix.SYS_FALLOCATE:
		name, paths = map[uint64]string{unix.SYS_WRITE: "write", unix.SYS_PWRITE64: "pwrite64", unix.SYS_WRITEV: "writev", unix.SYS_PWRITEV: "pwritev",
			unix.SYS_FTRUNCATE: "ftruncate", unix.SYS_FSYNC: "fsync", unix.SYS_FDATASYNC: "fdatasync", unix.SYS_FCHMOD: "fchmod",
			unix.SYS_FCHOWN: "fchown", unix.SYS_FALLOCATE: "fallocate"}[r.Orig_rax], []string{fd(a[0])}
	default:
		return "", false
	}
	for _, p := range paths {
		if p == root || strings.HasPrefix(p, root+"/") {
			return name + " " + strings.Join(paths, " "), true
		}
	}
	return "", false
}

// tracePath reads the path argument at addr of a stopped thread, made
// absolute against dirfd (or the working folder).
func tracePath(tid, pid, dirfd int, addr uint64) string {
	var b []byte
	buf := make([]byte, 256)
	for len(b) < 4096 {
		n, err := unix.PtracePeekData(tid, uintptr(addr)+uintptr(len(b)), buf)
		if n <= 0 || err != nil {
			break
		}
		if i := strings.IndexByte(string(buf[:n]), 0); i >= 0 {
			b = append(b, buf[:i]...)
			break
		}
		b = append(b, buf[:n]...)
	}
	p := string(b)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	base := fmt.Sprintf("/proc/%d/fd/%d", pid, dirfd)
	if dirfd == unix.AT_FDCWD {
		base = fmt.Sprintf("/proc/%d/cwd", pid)
	}
	dir, _ := os.Readlink(base)
	return filepath.Join(dir, p)
}

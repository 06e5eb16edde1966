package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A Download is one file fetched into a partial file and streamed on.
type Download struct {
	URL string
	// What names the file in errors ("archive go1.22.5.linux-amd64.tar.gz").
	What string
	// Part is the partial file: created, or resumed with a Range request
	// when it already holds bytes and the server allows.
	Part string
	// Size is the expected length, when known: a longer body is ErrTooLarge
	// and a shorter one an error.
	Size int64
	// Limit caps the length when Size is unknown (0: no cap).
	Limit int64
	// Sink receives every byte of the file exactly once, from the first;
	// bytes already in Part are replayed into it before new ones.
	Sink io.Writer
	// Progress, if set, is called with bytes done (including resumed ones) and the total (0 if unknown).
	Progress func(done, total int64)
}

// ErrRestart is returned when a download broke mid-way and the server
// would not resume it (it ignored Range), after bytes had reached the sink:
// the caller must start its pipeline again (the partial file is kept). It
// comes wrapped in an *UnreachableError naming the URL and the break.
var ErrRestart = errors.New("download interrupted and the server cannot resume it")

// ErrWrongSize is returned when a server announces a file of another size
// than the expected one: it serves some other file.
var ErrWrongSize = errors.New("not the expected size")

// Download fetches d.URL into d.Part and d.Sink, retrying transient failures
// by resuming where it stopped; while attempts make progress, it keeps
// trying (up to a bound). It reports whether the start came from an
// earlier run's partial file.
func (c *Client) Download(ctx context.Context, d Download) (resumed bool, err error) {
	f, err := os.OpenFile(d.Part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return false, err
	}
	defer f.Close()
	t := &transfer{d: d, f: f, first: true}
	if t.have, err = f.Seek(0, io.SeekEnd); err != nil {
		return false, err
	}
	if d.Size > 0 && t.have > d.Size {
		if err := t.restart(); err != nil {
			return false, err
		}
	}
	var broke error // why the last attempt broke off
	err = c.retryProgress(ctx, d.URL, func() int64 { return t.have }, func(ctx context.Context) error {
		n, err := c.attempt(ctx, t)
		if t.first && n > 0 {
			resumed = true
		}
		t.first = false
		if errors.Is(err, ErrRestart) {
			if broke != nil {
				err = fmt.Errorf("%w (%v)", ErrRestart, describeNetErr(broke))
			}
			return &UnreachableError{URL: d.URL, Err: err}
		}
		broke = err
		return err
	})
	return resumed, err
}

// A transfer is one Download across its attempts. It holds the part file
// and two counts that attempts keep true: have is the part file's length,
// and sunk says how many of its bytes the sink has received, in order and
// each exactly once. An attempt may go on only where both agree.
type transfer struct {
	d     Download
	f     *os.File
	have  int64
	sunk  int64
	first bool // the next attempt is the first: it replays what an earlier run left
}

// attempt makes one request for the bytes the part file lacks. On the
// first attempt the part file's bytes are replayed into the sink once the
// server has agreed to resume; it returns how many were replayed.
func (c *Client) attempt(ctx context.Context, t *transfer) (replayed int64, err error) {
	hdr := http.Header{}
	if t.have > 0 {
		hdr.Set("Range", "bytes="+strconv.FormatInt(t.have, 10)+"-")
	}
	resp, err := c.do(ctx, t.d.URL, hdr)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && t.have > 0 {
		return t.rangeRefused()
	}
	start, err := t.accept(resp)
	if err != nil {
		return 0, err
	}
	if replayed, err = t.catchUp(start); err != nil {
		return replayed, err
	}
	return replayed, t.receive(ctx, c.watch(ctx, resp), start, resp.ContentLength)
}

// rangeRefused handles a 416 answer to a Range request: the part file is
// either already whole (it is replayed, and the download is done) or junk
// (it is dropped, and the next attempt starts again).
func (t *transfer) rangeRefused() (int64, error) {
	if t.d.Size > 0 && t.have == t.d.Size {
		n, err := replay(t.f, t.have, t.sunk, t.d)
		t.sunk += n
		return n, err
	}
	if t.sunk > 0 {
		return 0, ErrRestart
	}
	if err := t.restart(); err != nil {
		return 0, err
	}
	return 0, transient(fmt.Errorf("%s: server refused to resume; starting again", redact(t.d.URL)))
}

// accept checks an answer before its body is read, and returns the byte
// it starts at: a resumed range, or 0 when the server sent the whole file
// (dropping the part file, when that is still possible).
func (t *transfer) accept(resp *http.Response) (start int64, err error) {
	d := t.d
	if err := checkResponse(d.URL, resp); err != nil {
		return 0, err
	}
	if isHTMLType(resp.Header.Get("Content-Type")) {
		return 0, &HTMLError{URL: d.URL, What: d.What}
	}
	if resp.StatusCode == http.StatusPartialContent {
		s, err := contentRangeStart(resp.Header.Get("Content-Range"))
		if err != nil || s != t.have {
			return 0, fmt.Errorf("%s: bad Content-Range %q for a request from byte %d", redact(d.URL), resp.Header.Get("Content-Range"), t.have)
		}
		start = s
	} else if t.have > 0 {
		// The server ignored Range and sent the whole file.
		if t.sunk > 0 {
			return 0, ErrRestart
		}
		if err := t.restart(); err != nil {
			return 0, err
		}
	}
	if resp.ContentLength >= 0 && d.Size > 0 && start+resp.ContentLength > d.Size {
		return 0, fmt.Errorf("%s: server sends %d bytes, expected %d: %w", redact(d.URL), start+resp.ContentLength, d.Size, ErrTooLarge)
	}
	if resp.ContentLength >= 0 && d.Size > 0 && start+resp.ContentLength < d.Size {
		// Announced short: another file, not a broken connection.
		return 0, fmt.Errorf("%s: server sends %d bytes, expected %d: %w", redact(d.URL), start+resp.ContentLength, d.Size, ErrWrongSize)
	}
	return start, nil
}

// catchUp brings the sink to start before the body's bytes follow: on the
// first attempt it replays the part file; later, the sink must already be
// there, or it cannot take the bytes again (ErrRestart).
func (t *transfer) catchUp(start int64) (replayed int64, err error) {
	if t.first && start > 0 && t.sunk == 0 {
		n, err := replay(t.f, start, 0, t.d)
		if err != nil {
			return n, err
		}
		t.sunk, replayed = n, n
	}
	if t.sunk != start {
		// Earlier attempts already passed on bytes the server now resends
		// from elsewhere: the sink cannot take them again.
		return replayed, ErrRestart
	}
	return replayed, nil
}

// receive copies the body, from byte start, into the part file and the
// sink, and checks that it was whole.
func (t *transfer) receive(ctx context.Context, body io.Reader, start, contentLength int64) error {
	d := t.d
	total := d.Size
	if total == 0 && contentLength >= 0 {
		total = start + contentLength
	}
	buf := make([]byte, 256<<10)
	sniffed := start > 0
	for {
		n, rerr := body.Read(buf)
		if n > 0 {
			if !sniffed {
				sniffed = true
				if LooksLikeHTML(buf[:n]) {
					return &HTMLError{URL: d.URL, What: d.What}
				}
			}
			if err := t.write(buf[:n], total); err != nil {
				return err
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.As(rerr, new(slowError)) {
				return &UnreachableError{URL: d.URL, Err: rerr}
			}
			return transient(&UnreachableError{URL: d.URL, Err: rerr})
		}
	}
	if contentLength >= 0 && t.have != start+contentLength || d.Size > 0 && t.have != d.Size {
		return transient(&UnreachableError{URL: d.URL, Err: fmt.Errorf("body ended after %d of %d bytes", t.have, max(d.Size, start+contentLength))})
	}
	return nil
}

// write appends new bytes to the part file and passes them to the sink,
// refusing a body that grows past the expected size or the limit.
func (t *transfer) write(p []byte, total int64) error {
	d := t.d
	if d.Size > 0 && t.have+int64(len(p)) > d.Size {
		return fmt.Errorf("%s: body longer than the expected %d bytes: %w", redact(d.URL), d.Size, ErrTooLarge)
	}
	if d.Size == 0 && d.Limit > 0 && t.have+int64(len(p)) > d.Limit {
		return fmt.Errorf("%s: body longer than %d bytes: %w", redact(d.URL), d.Limit, ErrTooLarge)
	}
	if _, err := t.f.Write(p); err != nil {
		return fmt.Errorf("write %s: %w", t.f.Name(), err)
	}
	t.have += int64(len(p))
	if _, err := d.Sink.Write(p); err != nil {
		return err
	}
	t.sunk += int64(len(p))
	if d.Progress != nil {
		d.Progress(t.have, total)
	}
	return nil
}

// restart empties the part file: the next bytes are the file's first.
func (t *transfer) restart() error {
	if err := truncate(t.f); err != nil {
		return err
	}
	t.have = 0
	return nil
}

// replay passes bytes [from, n) of the part file to the sink. They were
// checked (not HTML, not too long) when they were first downloaded.
func replay(f *os.File, n, from int64, d Download) (int64, error) {
	done, err := io.CopyBuffer(d.Sink, io.NewSectionReader(f, from, n-from), make([]byte, 256<<10))
	if d.Progress != nil {
		d.Progress(from+done, d.Size)
	}
	return done, err
}

func truncate(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.Seek(0, io.SeekStart)
	return err
}

// contentRangeStart reads the first byte position of "bytes a-b/n".
func contentRangeStart(v string) (int64, error) {
	rest, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, errors.New("not a byte range")
	}
	a, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, errors.New("not a byte range")
	}
	return strconv.ParseInt(a, 10, 64)
}

// watch returns the response body with the limits that keep a transfer
// finite: when no byte arrives for StallTimeout, the read fails with a
// timeout; when fewer than MinRate bytes a second arrive over RateWindow,
// the read fails with a slowError, which is final (resuming a trickle
// would only start another one).
func (c *Client) watch(ctx context.Context, resp *http.Response) io.Reader {
	var r io.Reader = resp.Body
	if c.StallTimeout > 0 {
		r = &stallReader{r: resp.Body, d: c.StallTimeout}
	}
	if c.MinRate > 0 && c.RateWindow > 0 {
		r = &rateReader{r: r, min: c.MinRate, window: c.RateWindow, now: time.Now}
	}
	return r
}

// stallReader fails a Read that waits longer than d, by closing the body.
type stallReader struct {
	r       io.ReadCloser
	d       time.Duration
	mu      sync.Mutex
	stalled bool
}

func (s *stallReader) Read(p []byte) (int, error) {
	t := time.AfterFunc(s.d, func() {
		s.mu.Lock()
		s.stalled = true
		s.mu.Unlock()
		s.r.Close()
	})
	n, err := s.r.Read(p)
	t.Stop()
	s.mu.Lock()
	stalled := s.stalled
	s.mu.Unlock()
	if stalled && err != nil {
		return n, stallError{s.d}
	}
	return n, err
}

type stallError struct{ d time.Duration }

func (e stallError) Error() string {
	return fmt.Sprintf("no data for %s (stalled; GOVER_STALL_TIMEOUT sets how long to wait)", e.d)
}
func (e stallError) Timeout() bool   { return true }
func (e stallError) Temporary() bool { return true }

// rateReader fails once a window of the given length passes in which fewer
// than min bytes a second arrived. A Read never blocks for longer than the
// stall timeout, so the check runs often enough without a timer.
type rateReader struct {
	r      io.Reader
	min    int64
	window time.Duration
	now    func() time.Time
	start  time.Time // of the current window
	got    int64     // bytes in the current window
}

func (r *rateReader) Read(p []byte) (int, error) {
	if r.start.IsZero() {
		r.start = r.now()
	}
	n, err := r.r.Read(p)
	r.got += int64(n)
	if err != nil {
		return n, err
	}
	if el := r.now().Sub(r.start); el >= r.window {
		if float64(r.got) < float64(r.min)*el.Seconds() {
			return n, slowError{got: r.got, in: el, min: r.min, window: r.window}
		}
		r.start, r.got = r.now(), 0
	}
	return n, nil
}

// slowError is a transfer slower than the minimum rate.
type slowError struct {
	got    int64
	in     time.Duration
	min    int64
	window time.Duration
}

func (e slowError) Error() string {
	return fmt.Sprintf("too slow: %d bytes in %s, under the minimum of %d bytes/s over %s (GOVER_SPEED_LIMIT and GOVER_SPEED_TIME set them)",
		e.got, e.in.Round(time.Millisecond), e.min, e.window)
}

// deadlineError is a small fetch that took longer than SmallDeadline.
type deadlineError struct{ d time.Duration }

func (e deadlineError) Error() string {
	return fmt.Sprintf("not fetched within %s (GOVER_FETCH_TIMEOUT sets the limit)", e.d)
}

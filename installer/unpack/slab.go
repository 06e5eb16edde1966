package unpack

import (
	"context"
	"sync/atomic"
)

const (
	slabSize = 1 << 20
	// maxSlabs bounds the file content in flight between the tar reader and the writers.
	maxSlabs = 16
	// smallFile is the largest file packed into a shared slab; larger ones get slabs of their own.
	smallFile = 64 << 10
)

// A slab is a buffer that the tar reader fills with file contents for the writers: many
// small files side by side, or one chunk of a large one. It goes back to its pool when the
// last file using it is written.
type slab struct {
	buf  []byte
	used int // by the reader, while the slab is its current one
	refs atomic.Int32
	pool *slabPool
}

func (s *slab) release() {
	if s.refs.Add(-1) == 0 {
		s.pool.free <- s
	}
}

// A slabPool hands slabs to the one reader goroutine, allocating them only as needed so a
// small archive costs little, and blocks when all of them are in flight.
type slabPool struct {
	free chan *slab
	made int
	max  int
	cur  *slab // partly filled with small files; the reader holds a reference
}

// newSlabPool makes a pool of n slabs; the reader needs two to make progress: one it fills
// with small files, and one for a large file's next chunk.
func newSlabPool(n int) *slabPool {
	n = max(n, 2)
	return &slabPool{free: make(chan *slab, n), max: n}
}

func (p *slabPool) get(ctx context.Context) (*slab, error) {
	var s *slab
	select {
	case s = <-p.free:
	default:
		if p.made < p.max {
			p.made++
			s = &slab{buf: make([]byte, slabSize), pool: p}
			break
		}
		select {
		case s = <-p.free:
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	s.used = 0
	s.refs.Store(1)
	return s, nil
}

// alloc returns n bytes (n ≤ slabSize) in a slab, with a reference the caller must release.
func (p *slabPool) alloc(ctx context.Context, n int) (*slab, []byte, error) {
	if n > smallFile {
		s, err := p.get(ctx)
		if err != nil {
			return nil, nil, err
		}
		return s, s.buf[:n:n], nil
	}
	if p.cur == nil || len(p.cur.buf)-p.cur.used < n {
		if p.cur != nil {
			p.cur.release()
			p.cur = nil
		}
		s, err := p.get(ctx)
		if err != nil {
			return nil, nil, err
		}
		p.cur = s
	}
	s := p.cur
	b := s.buf[s.used : s.used+n : s.used+n]
	s.used += n
	s.refs.Add(1)
	return s, b, nil
}

// done drops the reader's hold on its current slab.
func (p *slabPool) done() {
	if p.cur != nil {
		p.cur.release()
		p.cur = nil
	}
}

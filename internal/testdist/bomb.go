package testdist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Bomb serves, in place of the file, an archive that is small on the wire
// but unpacks to this many bytes: a .tar.gz whose go/bin/go is that big
// (gzip), or for .zip paths a zip whose go/bin/go.exe is (deflate). The
// index keeps the real file's size and sha256, so a client that checks the
// downloaded size or digest before unpacking refuses on those grounds; a
// client that unpacks while it downloads (hashing on the way) sees
// gigabytes come out of kilobytes and must stop at its own ceiling on
// unpacked bytes. To test that ceiling past digest and signature checks,
// Publish a bomb from BombTarGz or BombZip instead.
//
// A GiB of output is about 1 MB on the wire and takes a quarter of a second
// to build, on first request.
type Bomb int64

func (Bomb) layer() int { return layerContent }

func (n Bomb) Wrap(next http.Handler) http.Handler {
	var tgzOnce, zipOnce sync.Once
	var tgz, zp []byte
	mod := time.Date(2024, 6, 27, 20, 11, 12, 0, time.UTC)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, ".zip") {
			zipOnce.Do(func() { zp = BombZip(int64(n)) })
			serveBytes(w, r, "application/zip", zp, mod, "")
			return
		}
		tgzOnce.Do(func() { tgz = BombTarGz(int64(n)) })
		serveBytes(w, r, "application/x-gzip", tgz, mod, "")
	})
}

// BombTarGz returns a .tar.gz holding go/bin/go of size zero bytes (about
// 1 KB per MB of output).
func BombTarGz(size int64) []byte {
	var hdr bytes.Buffer
	tw := tar.NewWriter(&hdr)
	tw.WriteHeader(&tar.Header{Name: "go/bin/go", Mode: 0o755, Size: size, Typeflag: tar.TypeReg, Format: tar.FormatGNU,
		ModTime: time.Date(2024, 6, 27, 20, 11, 12, 0, time.UTC)})
	// The rest of the tar stream (body, padding, two end blocks) is all
	// zeros.
	zeros := (size+511)/512*512 + 1024
	deflated, crc := deflateZeros(hdr.Bytes(), zeros)

	var out bytes.Buffer
	out.Write([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}) // gzip header, no name, no mtime
	out.Write(deflated)
	total := int64(hdr.Len()) + zeros
	binary.Write(&out, binary.LittleEndian, crc)
	binary.Write(&out, binary.LittleEndian, uint32(total))
	return out.Bytes()
}

// BombZip returns a zip holding go/bin/go.exe of size zero bytes.
func BombZip(size int64) []byte {
	deflated, crc := deflateZeros(nil, size)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{
		Name: "go/bin/go.exe", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(deflated)), UncompressedSize64: uint64(size),
		Modified: time.Date(2024, 6, 27, 20, 11, 12, 0, time.UTC),
	})
	w.Write(deflated)
	zw.Close()
	return buf.Bytes()
}

// deflateZeros returns a raw deflate stream of prefix followed by n zero
// bytes, and the CRC-32 of that output. Only a little is compressed: once
// the 32 KiB window holds nothing but zeros, the deflate blocks for one
// chunk of zeros decode the same wherever they are repeated, so they are
// copied instead of recomputed.
func deflateZeros(prefix []byte, n int64) ([]byte, uint32) {
	const chunk = 1 << 20
	zero := make([]byte, chunk)
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(prefix)
	crc := crc32.ChecksumIEEE(prefix)

	left := n
	write := func(k int64) {
		fw.Write(zero[:k])
		crc = crc32.Update(crc, crc32.IEEETable, zero[:k])
		left -= k
	}
	if left >= 2*chunk {
		write(chunk) // fills the window with zeros
		fw.Flush()
		mark := buf.Len()
		write(chunk)
		fw.Flush()
		block := append([]byte(nil), buf.Bytes()[mark:]...)
		for left >= chunk {
			buf.Write(block)
			crc = crc32.Update(crc, crc32.IEEETable, zero)
			left -= chunk
		}
	}
	for left > 0 {
		write(min(left, chunk))
	}
	fw.Close()
	return buf.Bytes(), crc
}

// LyingZip rewrites a zip answer (module zip or Windows archive) so that
// its central directory claims each file is half as big as it is; the data
// is unchanged. Unpackers that size buffers or limits from the directory
// must notice the extra bytes.
type LyingZip struct{}

func (LyingZip) layer() int { return layerContent }

func (LyingZip) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		if c.status == http.StatusOK {
			c.body = lieAboutSizes(c.body)
		}
		replay(w, r, c, false)
	})
}

// lieAboutSizes halves the uncompressed size of every central directory
// entry of a zip (no zip64, no archive comment), returning a copy.
func lieAboutSizes(z []byte) []byte {
	const eocdLen = 22
	if len(z) < eocdLen || binary.LittleEndian.Uint32(z[len(z)-eocdLen:]) != 0x06054b50 {
		return z
	}
	out := append([]byte(nil), z...)
	eocd := out[len(out)-eocdLen:]
	count := int(binary.LittleEndian.Uint16(eocd[10:]))
	off := int(binary.LittleEndian.Uint32(eocd[16:]))
	for range count {
		if off+46 > len(out) || binary.LittleEndian.Uint32(out[off:]) != 0x02014b50 {
			break
		}
		e := out[off:]
		size := binary.LittleEndian.Uint32(e[24:])
		binary.LittleEndian.PutUint32(e[24:], size/2)
		off += 46 + int(binary.LittleEndian.Uint16(e[28:])) + int(binary.LittleEndian.Uint16(e[30:])) + int(binary.LittleEndian.Uint16(e[32:]))
	}
	return out
}

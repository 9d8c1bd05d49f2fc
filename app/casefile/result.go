package casefile

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"raidtrace/analysis"
)

// An analysis result is stored gzip-compressed (a 1M-message result is about 140 MB of JSON and
// a seventh of that compressed); cases written before hold it as plain JSON, which readers still
// take. The custody log's result_sha256 is always the hash of the JSON itself.

// encodeResult writes res to w exactly as json.Marshal encodes it, one cluster at a time, so
// that the whole text is never held in memory.
func encodeResult(w io.Writer, res *analysis.Result) error {
	if res == nil || res.Clusters == nil {
		b, err := json.Marshal(res)
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	// The clusters and the flags (the two lists that grow with the case) are left out of
	// the rest and written one element at a time in their places: the clusters' is marked by
	// their null, the flags' is the end, as Flags is the last field and omitted when empty.
	rest := *res
	rest.Clusters, rest.Flags = nil, nil
	b, err := json.Marshal(&rest)
	if err != nil {
		return err
	}
	// quotes inside JSON strings are escaped: this key/value pair can only be the field itself
	const slot = `"clusters":null`
	head, tail, ok := bytes.Cut(b, []byte(slot))
	if !ok || !bytes.HasSuffix(tail, []byte("}")) {
		return errors.New("encoding the result: no clusters field")
	}
	bw := &errWriter{w: w}
	// one buffer for every element: an Encoder writes what Marshal returns, then a newline
	var eb bytes.Buffer
	enc := json.NewEncoder(&eb)
	list := func(n int, elem func(i int) any) error {
		for i := range n {
			eb.Reset()
			if err := enc.Encode(elem(i)); err != nil {
				return err
			}
			if i > 0 {
				bw.write([]byte(","))
			}
			bw.write(bytes.TrimSuffix(eb.Bytes(), []byte("\n")))
		}
		return nil
	}
	bw.write(head)
	bw.write([]byte(`"clusters":[`))
	if err := list(len(res.Clusters), func(i int) any { return &res.Clusters[i] }); err != nil {
		return err
	}
	bw.write([]byte("]"))
	bw.write(tail[:len(tail)-1])
	if len(res.Flags) > 0 {
		bw.write([]byte(`,"flags":[`))
		if err := list(len(res.Flags), func(i int) any { return &res.Flags[i] }); err != nil {
			return err
		}
		bw.write([]byte("]"))
	}
	bw.write([]byte("}"))
	return bw.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

// compressResult returns res's JSON gzip-compressed and the SHA-256 of the JSON.
func compressResult(res *analysis.Result) ([]byte, [sha256.Size]byte, error) {
	var out bytes.Buffer
	h := sha256.New()
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestSpeed)
	if err := encodeResult(io.MultiWriter(h, zw), res); err != nil {
		return nil, [sha256.Size]byte{}, err
	}
	if err := zw.Close(); err != nil {
		return nil, [sha256.Size]byte{}, err
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return out.Bytes(), sum, nil
}

// resultJSON returns the stored result's JSON: b itself when it is plain JSON (cases written
// before results were compressed), else b decompressed.
func resultJSON(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b { // JSON never starts with gzip's magic
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	zr.Multistream(false)
	// gzip's trailer gives the size (mod 2³²): read into a buffer of that size at once, unless a
	// damaged or crafted trailer claims more than JSON this size can hold (results compress about
	// sevenfold; the buffer grows past the guess if it must)
	var out []byte
	if len(b) >= 18 {
		out = make([]byte, 0, min(int(binary.LittleEndian.Uint32(b[len(b)-4:])), 64*len(b)))
	}
	w := bytes.NewBuffer(out)
	if _, err := io.Copy(w, zr); err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	return w.Bytes(), nil
}

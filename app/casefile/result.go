package casefile

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

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

// resultReader reads the stored result's JSON: b itself when it is plain JSON (cases written
// before results were compressed), else b decompressed as it is read. A damaged compressed
// result is an error from Read that says "decompressing".
func resultReader(b []byte) (io.Reader, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b { // JSON never starts with gzip's magic
		return bytes.NewReader(b), nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("decompressing: %w", err)
	}
	zr.Multistream(false)
	return decompressing{zr}, nil
}

type decompressing struct{ r io.Reader }

func (d decompressing) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("decompressing: %w", err)
	}
	return n, err
}

// clusterMode says what decodeResult does with the clusters: keeps them whole, keeps them
// without their variants (brief, see [Case.LatestAnalysisBrief]), or gives each to each
// without keeping any (see [Case.AnalysisClusters]).
type clusterMode struct {
	brief bool
	each  func(*analysis.Cluster) error
}

// decodeResult decodes a stored result as json.Unmarshal would, but a top-level member at a
// time and the clusters one at a time, so that the JSON text (140 MB for a million messages)
// is never held whole; what it does with the clusters is mode's (Result.Clusters is nil unless
// they are kept). null reports a result without a clusters list (none, or JSON null). A second
// clusters list is an error. With each, the other members are only checked to be JSON, and
// res is nil. It reads r to its end: a
// compressed result's checksum is checked.
func decodeResult(r io.Reader, mode clusterMode) (res *analysis.Result, null bool, err error) {
	dec := json.NewDecoder(r)
	tok, err := dec.Token()
	if err != nil {
		return nil, false, err
	}
	if tok == nil { // null
		return nil, false, endOfResult(dec)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, false, fmt.Errorf("the result is not a JSON object (it starts with %v)", tok)
	}
	res = &analysis.Result{}
	null, seen := true, false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false, err
		}
		key, _ := tok.(string)
		if strings.EqualFold(key, "clusters") {
			if seen { // not a result Raidtrace wrote: refused rather than merged as encoding/json would
				return nil, false, fmt.Errorf("clusters listed twice")
			}
			seen = true
			if res.Clusters, null, err = decodeClusters(dec, mode); err != nil {
				return nil, false, fmt.Errorf("clusters: %w", err)
			}
			continue
		}
		if mode.each != nil { // its reader has the rest already (AnalysisClusters)
			if err := dec.Decode(&skipped{}); err != nil {
				return nil, false, err
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false, err
		}
		// the one member as an object of its own, into the same result
		k, _ := json.Marshal(key)
		one := make([]byte, 0, len(k)+len(raw)+3)
		one = append(append(append(append(one, '{'), k...), ':'), raw...)
		if err := json.Unmarshal(append(one, '}'), res); err != nil {
			return nil, false, fmt.Errorf("%s: %w", key, err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, false, err
	}
	if mode.each != nil {
		res = nil
	}
	return res, null, endOfResult(dec)
}

// decodeClusters decodes the clusters list one cluster at a time, as mode says.
func decodeClusters(dec *json.Decoder, mode clusterMode) (list []analysis.Cluster, null bool, err error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, false, err
	}
	if tok == nil {
		return nil, true, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, false, fmt.Errorf("not a list (it starts with %v)", tok)
	}
	keep := mode.each == nil
	if keep {
		list = []analysis.Cluster{}
	}
	for i := 0; dec.More(); i++ {
		var one struct {
			analysis.Cluster
			Variants      skipped `json:"variants"`
			MemberVariant skipped `json:"member_variant"`
		}
		var err error
		if mode.brief {
			err = dec.Decode(&one)
		} else {
			err = dec.Decode(&one.Cluster)
		}
		if err == nil && mode.each != nil {
			err = mode.each(&one.Cluster)
		}
		if err != nil {
			return nil, false, fmt.Errorf("cluster %d: %w", i, err)
		}
		if keep {
			list = append(list, one.Cluster)
		}
	}
	_, err = dec.Token() // the closing bracket
	return list, false, err
}

// endOfResult reads past what follows the result, which may only be white space.
func endOfResult(dec *json.Decoder) error {
	if tok, err := dec.Token(); err != io.EOF {
		if err != nil {
			return err
		}
		return fmt.Errorf("data after the result (%v)", tok)
	}
	return nil
}

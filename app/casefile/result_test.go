package casefile

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"raidtrace/analysis"
)

// decodeResultCases are stored results, good and bad, that decodeResult must read as
// json.Unmarshal does.
var decodeResultCases = []string{
	`null`,
	`{}`,
	` {"messages": 3, "clusters": null} `,
	`{"clusters": []}`,
	`{"clusters": [{"id": 1, "members": [0, 2], "template": "dégage", "variants": [{"text": "dégage", "count": 2}], "member_variant": [0, 0]}], "messages": 3}`,
	`{"Clusters": [{"id": 2, "variants": [{"text": "x"}]}]}`,        // encoding/json matches keys case-insensitively
	`{"clusters": [{"id": 1}], "clusters": [{"id": 2}, {"id": 3}]}`, // refused (json.Unmarshal merges them)
	`{"unknown": {"deep": [1, {"x": null}]}, "analysed": 2, "flags": [{"message": 1, "category": "threat"}]}`,
	`{"messages": 1} {"messages": 2}`,
	`{"messages": 1} x`,
	`[1, 2]`,
	`{"clusters": {"id": 1}}`,
	`{"clusters": [{"id": "one"}]}`,
	`{"messages": "three"}`,
	`{"messages": 1`,
	`{"clusters": [{"id": 1}`,
	``,
}

// wantResult is json.Unmarshal's reading of js; brief reads past the clusters' variants (and
// does not check them) as LatestAnalysisBrief does.
func wantResult(js []byte, brief bool) (*analysis.Result, error) {
	if brief {
		var ref *struct {
			analysis.Result
			Clusters []struct {
				analysis.Cluster
				Variants      skipped `json:"variants"`
				MemberVariant skipped `json:"member_variant"`
			} `json:"clusters"`
		}
		if err := json.Unmarshal(js, &ref); err != nil || ref == nil {
			return nil, err
		}
		res := ref.Result
		if ref.Clusters != nil {
			res.Clusters = make([]analysis.Cluster, len(ref.Clusters))
			for i, c := range ref.Clusters {
				res.Clusters[i] = c.Cluster
			}
		}
		return &res, nil
	}
	var res *analysis.Result
	if err := json.Unmarshal(js, &res); err != nil {
		return nil, err
	}
	return res, nil
}

// clusterLists counts the top-level keys of js that encoding/json would take for "clusters"
// (up to the first syntax error).
func clusterLists(js []byte) int {
	dec := json.NewDecoder(bytes.NewReader(js))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return 0
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		if k, _ := tok.(string); strings.EqualFold(k, "clusters") {
			n++
		}
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return n
		}
	}
	return n
}

func checkDecodeResult(t *testing.T, js []byte) {
	t.Helper()
	// a second clusters list is refused, whatever the mode; and only that is refused so
	for _, mode := range []clusterMode{{}, {brief: true}, {each: func(*analysis.Cluster) error { return nil }}} {
		_, _, err := decodeResult(bytes.NewReader(js), mode)
		twice := err != nil && strings.Contains(err.Error(), "clusters listed twice")
		if lists := clusterLists(js); (twice && lists < 2) || (err == nil && lists >= 2) {
			t.Fatalf("%q (mode %+v): error %v with %d clusters lists", js, mode, err, lists)
		}
	}
	// given one at a time, the clusters are json.Unmarshal's (the other members are only read
	// past: an error in them is not one for this reader)
	var ref *struct {
		Clusters []analysis.Cluster `json:"clusters"`
	}
	refErr := json.Unmarshal(js, &ref)
	var each []analysis.Cluster
	got, null, err := decodeResult(bytes.NewReader(js), clusterMode{each: func(c *analysis.Cluster) error {
		each = append(each, *c)
		return nil
	}})
	twice := err != nil && strings.Contains(err.Error(), "clusters listed twice") // refused, not merged
	if !twice && (err != nil) != (refErr != nil) {
		t.Fatalf("%q: one at a time: error %v, json.Unmarshal's %v", js, err, refErr)
	}
	if err == nil {
		if got != nil {
			t.Fatalf("%q: one at a time: result %+v, want none", js, got)
		}
		var want []analysis.Cluster
		if ref != nil {
			want = ref.Clusters
		}
		if null != (ref != nil && want == nil) || len(each) != len(want) || (len(each) > 0 && !reflect.DeepEqual(each, want)) {
			t.Fatalf("%q: clusters one at a time %+v (null %v), want %+v", js, each, null, want)
		}
	}
	for _, brief := range []bool{false, true} {
		want, wantErr := wantResult(js, brief)
		got, _, err := decodeResult(bytes.NewReader(js), clusterMode{brief: brief})
		if err != nil && strings.Contains(err.Error(), "clusters listed twice") {
			continue // refused, where json.Unmarshal merges the two lists
		}
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%q (brief %v): error %v, json.Unmarshal's %v", js, brief, err, wantErr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q (brief %v):\n got %+v\nwant %+v", js, brief, got, want)
		}
	}
}

// TestDecodeResult checks the member-by-member decoding against json.Unmarshal, and that a
// compressed result is read through its checksum.
func TestDecodeResult(t *testing.T) {
	for _, js := range decodeResultCases {
		checkDecodeResult(t, []byte(js))
	}
	// compressed, then damaged in its checksum
	js := []byte(decodeResultCases[4])
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(js)
	zw.Close()
	r, err := resultReader(z.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := decodeResult(r, clusterMode{}); err != nil || got.Messages != 3 || len(got.Clusters[0].Variants) != 1 {
		t.Errorf("compressed: %+v, %v", got, err)
	}
	bad := bytes.Clone(z.Bytes())
	bad[len(bad)-8] ^= 0xff // the CRC-32
	if r, err = resultReader(bad); err == nil {
		_, _, err = decodeResult(r, clusterMode{})
	}
	if err == nil || !strings.Contains(err.Error(), "decompressing") {
		t.Errorf("bad checksum: error %v, want one about decompressing", err)
	}
}

// FuzzDecodeResult: whatever the stored text, decodeResult reads it as json.Unmarshal does.
func FuzzDecodeResult(f *testing.F) {
	for _, js := range decodeResultCases {
		f.Add([]byte(js))
	}
	f.Fuzz(func(t *testing.T, js []byte) {
		checkDecodeResult(t, js)
	})
}

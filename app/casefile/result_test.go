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
	`{"clusters": [{"id": 1}], "clusters": [{"id": 2}, {"id": 3}]}`, // the last one wins
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

// wantResult is json.Unmarshal's reading of js; brief drops the clusters' variants.
func wantResult(js []byte, brief bool) (*analysis.Result, error) {
	var res *analysis.Result
	if err := json.Unmarshal(js, &res); err != nil {
		return nil, err
	}
	if brief && res != nil {
		for i := range res.Clusters {
			res.Clusters[i].Variants, res.Clusters[i].MemberVariant = nil, nil
		}
	}
	return res, nil
}

func checkDecodeResult(t *testing.T, js []byte) {
	t.Helper()
	for _, brief := range []bool{false, true} {
		want, wantErr := wantResult(js, brief)
		got, err := decodeResult(bytes.NewReader(js), brief)
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
	if got, err := decodeResult(r, false); err != nil || got.Messages != 3 || len(got.Clusters[0].Variants) != 1 {
		t.Errorf("compressed: %+v, %v", got, err)
	}
	bad := bytes.Clone(z.Bytes())
	bad[len(bad)-8] ^= 0xff // the CRC-32
	if r, err = resultReader(bad); err == nil {
		_, err = decodeResult(r, false)
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

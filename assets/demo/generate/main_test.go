package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"testing"
)

// TestEmbeddedDemoIsUpToDate checks that the committed demo export is exactly what the generator
// writes, so the demo can be re-created by anyone from the source.
func TestEmbeddedDemoIsUpToDate(t *testing.T) {
	var got bytes.Buffer
	if err := Write(&got, Seed); err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../raid-demo.xml")
	if err != nil {
		t.Fatalf("read embedded demo: %v (run go generate ./assets/)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("generator output (%d bytes) differs from assets/demo/raid-demo.xml (%d bytes): run go generate ./assets/", got.Len(), len(want))
	}
}

func TestDemoShape(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, Seed); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SMS []struct {
			Address string `xml:"address,attr"`
			Date    int64  `xml:"date,attr"`
			Type    int    `xml:"type,attr"`
			Contact string `xml:"contact_name,attr"`
		} `xml:"sms"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("demo is not well-formed XML: %v", err)
	}
	raid, senders := 0, map[string]bool{}
	var first, last int64
	for _, s := range doc.SMS {
		if s.Contact != "(Unknown)" {
			continue
		}
		raid++
		senders[s.Address] = true
		if first == 0 || s.Date < first {
			first = s.Date
		}
		if s.Date > last {
			last = s.Date
		}
	}
	if raid != 1500 {
		t.Errorf("raid messages: got %d, want 1500", raid)
	}
	if n := len(senders); n < 950 || n > 1000 {
		t.Errorf("distinct raid senders: got %d, want about 1000", n)
	}
	if h := float64(last-first) / 3.6e6; h > 3.01 || h < 2 {
		t.Errorf("raid duration: got %.2f h, want about 3 h", h)
	}
	if quiet := len(doc.SMS) - raid; quiet < 300 {
		t.Errorf("ordinary messages: got %d, want two weeks of traffic (>= 300)", quiet)
	}
}

package smsbackup

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"raidtrace/importers"
	"raidtrace/importers/internal/heappeak"
)

// generator streams a synthetic SMS Backup & Restore file of about size bytes without holding it:
// nine plain SMS (some with surrogate-pair emoji entities) then one MMS with a SMIL part, a text
// part and an inline base64 JPEG-sized image part, repeated, then </smses>.
type generator struct {
	size  int64
	done  int64
	buf   bytes.Buffer
	n     int // records generated
	media string
	ended bool
}

func newGenerator(size int64, mediaKB int) *generator {
	raw := make([]byte, mediaKB<<10)
	for i := range raw {
		raw[i] = byte(i*7 + i>>8)
	}
	g := &generator{size: size, media: base64.StdEncoding.EncodeToString(raw)}
	g.buf.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" +
		"<!--File Created By SMS Backup & Restore v10.20.002 on 01/01/2026 00:00:00-->\n" +
		"<smses count=\"0\" backup_set=\"0\" backup_date=\"1767225600000\" type=\"full\">\n")
	return g
}

func (g *generator) next() {
	i := g.n
	g.n++
	date := 1767225600000 + int64(i)*1000
	if i%10 != 9 {
		fmt.Fprintf(&g.buf, `  <sms protocol="0" address="+336%08d" date="%d" type="1" subject="null" `+
			`body="T&apos;es qu&apos;une merde, on sait où tu habites &#55357;&#56865; n°%d" toa="null" sc_toa="null" `+
			`service_center="+33609001390" read="1" status="-1" locked="0" date_sent="%d" sub_id="1" `+
			`readable_date="1 janv. 2026 00:00:00" contact_name="(Unknown)" />`+"\n", i%1000000, date, i, date-2000)
		return
	}
	fmt.Fprintf(&g.buf, `  <mms date="%d" ct_t="application/vnd.wap.multipart.related" msg_box="1" address="+336%08d" `+
		`m_type="132" read="1" date_sent="%d" contact_name="(Unknown)">`+"\n    <parts>\n"+
		`      <part seq="-1" ct="application/smil" name="null" chset="106" text="&lt;smil&gt;&lt;/smil&gt;" />`+"\n"+
		`      <part seq="0" ct="image/jpeg" name="IMG_%d.jpg" chset="null" cl="IMG.jpg" text="null" data="`,
		date, i%1000000, date/1000, i)
	g.buf.WriteString(g.media)
	fmt.Fprintf(&g.buf, `" />`+"\n"+`      <part seq="0" ct="text/plain" chset="106" text="regarde ça n°%d" />`+
		"\n    </parts>\n    <addrs>\n"+`      <addr address="+336%08d" type="137" charset="106" />`+"\n"+
		`      <addr address="+33612345678" type="151" charset="106" />`+"\n    </addrs>\n  </mms>\n", i, i%1000000)
}

func (g *generator) Read(p []byte) (int, error) {
	for g.buf.Len() == 0 {
		if g.ended {
			return 0, io.EOF
		}
		if g.done >= g.size {
			g.buf.WriteString("</smses>\n")
			g.ended = true
			break
		}
		g.next()
	}
	n, _ := g.buf.Read(p)
	g.done += int64(n)
	return n, nil
}

type countSink struct{ records, problems int }

func (s *countSink) Record(importers.Record) error { s.records++; return nil }
func (s *countSink) Problem(importers.Problem)     { s.problems++ }

// BenchmarkImportLarge streams a generated backup of RAIDTRACE_BENCH_SMS_MB megabytes (default
// 2048: the 2 GB run, about 20 s; it is generated as it is read, never written to disk) with inline
// base64 media, and reports MB/s, msgs/s and the peak heap.
//
//	RAIDTRACE_BENCH_SMS_MB=64 go test -tags ci -run '^$' -bench ImportLarge -benchtime 1x ./importers/smsbackup/
func BenchmarkImportLarge(b *testing.B) {
	mb := int64(2048)
	if s := os.Getenv("RAIDTRACE_BENCH_SMS_MB"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v <= 0 {
			b.Fatalf("RAIDTRACE_BENCH_SMS_MB=%q: want a positive number of megabytes", s)
		}
		mb = v
	}
	runtime.GC()
	stop := heappeak.Start()
	var msgs, bytesRead int64
	start := time.Now()
	b.ResetTimer()
	for range b.N {
		g := newGenerator(mb<<20, 96)
		var s countSink
		if err := Read(context.Background(), g, importers.Options{}, &s); err != nil {
			b.Fatal(err)
		}
		if s.records != g.n || s.problems != 0 {
			b.Fatalf("got %d records and %d problems, want %d and 0", s.records, s.problems, g.n)
		}
		msgs += int64(s.records)
		bytesRead += g.done
	}
	b.StopTimer()
	elapsed := time.Since(start).Seconds()
	peak := stop()
	b.SetBytes(bytesRead / int64(b.N))
	b.ReportMetric(float64(msgs)/elapsed, "msgs/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkImportSMS measures plain-SMS throughput on a small in-memory file (about 4 MB).
func BenchmarkImportSMS(b *testing.B) {
	g := newGenerator(4<<20, 0)
	g.media = ""
	var data bytes.Buffer
	if _, err := io.Copy(&data, g); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(data.Len()))
	b.ResetTimer()
	var msgs int
	for range b.N {
		var s countSink
		if err := Read(context.Background(), bytes.NewReader(data.Bytes()), importers.Options{}, &s); err != nil {
			b.Fatal(err)
		}
		msgs += s.records
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}

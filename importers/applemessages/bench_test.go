package applemessages

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"raidtrace/importers"
	"raidtrace/importers/internal/heappeak"
)

// BenchmarkImport imports a generated chat.db of 50,000 messages (the macOS schema when the
// shared samples are present, else the minimal one) and reports messages per second.
func BenchmarkImport(b *testing.B) {
	const n = 50000
	path, db := schemaDBOrMinimal(b)
	exec(b, db, `INSERT INTO handle (ROWID, id, service) VALUES (1, '+33612345678', 'iMessage')`)
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		var text, body any = fmt.Sprintf("message numéro %d, tu vas voir", i), nil
		if i%2 == 0 {
			text, body = nil, blob(fmt.Sprintf("corps numéro %d", i))
		}
		if _, err := tx.Exec(`INSERT INTO message (guid, text, attributedBody, handle_id, service, date) VALUES (?, ?, ?, 1, 'iMessage', ?)`,
			fmt.Sprint("G", i), text, body, ns(0)+int64(i)*1e9); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if st, err := os.Stat(path); err == nil {
		b.SetBytes(st.Size()) // MB/s of the database file
	}
	b.ResetTimer()
	var before runtime.MemStats
	runtime.ReadMemStats(&before) // the input, held by the benchmark
	stop := heappeak.Start()
	for b.Loop() {
		var c countSink
		if err := Import(context.Background(), path, importers.Options{}, &c); err != nil {
			b.Fatal(err)
		}
		if c.records != n {
			b.Fatalf("got %d records, want %d", c.records, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(heappeak.MB(max(stop(), before.HeapInuse)-before.HeapInuse), "peak-heap-MB") // above the input
}

// schemaDBOrMinimal builds the macOS schema, or a minimal one with the benchmarked columns.
func schemaDBOrMinimal(b *testing.B) (string, *sql.DB) {
	if ddl, err := os.ReadFile(filepath.Join(samplesDir, "macos_chatdb_schema_pieteradejong.sql")); err == nil {
		return sqlDB(b, internalTable.ReplaceAllString(string(ddl), ""))
	}
	return sqlDB(b, minimalSchema+`
ALTER TABLE handle ADD COLUMN service TEXT;
ALTER TABLE message ADD COLUMN attributedBody BLOB;
ALTER TABLE message ADD COLUMN service TEXT;`)
}

type countSink struct{ records, problems int }

func (c *countSink) Record(importers.Record) error { c.records++; return nil }
func (c *countSink) Problem(importers.Problem)     { c.problems++ }

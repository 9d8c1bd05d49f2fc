package evidence

import (
	"io"
	"strconv"
)

// WriteSourcesCSV lists the imported files: name, SHA-256 taken at import, size, format, import
// time, records, duplicates, problems, and where the original is in the bag.
func (m *Model) WriteSourcesCSV(w io.Writer) error {
	rows := [][]string{{"source_id", "name", "sha256", "size", "format", "imported_utc", "records", "duplicates", "problems", "complete", "original"}}
	for _, s := range m.Sources {
		orig := ""
		if !m.Redacted {
			orig = originalName(s)
		}
		rows = append(rows, []string{strconv.FormatInt(s.ID, 10), s.Name, s.SHA256, strconv.FormatInt(s.Size, 10),
			s.Format, fmtTime(s.Imported), strconv.Itoa(s.Records), strconv.Itoa(s.Duplicates),
			strconv.Itoa(len(s.Problems)), strconv.FormatBool(s.Complete), orig})
	}
	return writeCSV(w, rows)
}

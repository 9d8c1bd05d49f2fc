package evidence

import (
	"encoding/csv"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

var exhibitRe = regexp.MustCompile(`\bM[0-9]{6}\b`)

// TestReportExhibitsInMessagesCSV checks that every exhibit id the HTML and PDF reports cite is
// a row of data/messages.csv, and that the annex covers every row of messages.csv.
func TestReportExhibitsInMessagesCSV(t *testing.T) {
	bag := sharedBag(t)
	f, err := os.Open(filepath.Join(bag, "data", "messages.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("messages.csv: %v", err)
	}
	col := -1
	for i, h := range rows[0] {
		if h == "exhibit_id" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("messages.csv has no exhibit_id column: %v", rows[0])
	}
	inCSV := map[string]bool{}
	for i, r := range rows[1:] {
		if !exhibitRe.MatchString(r[col]) || exhibitRe.FindString(r[col]) != r[col] {
			t.Errorf("messages.csv row %d: exhibit id %q is not of the form M000000", i+2, r[col])
		}
		if inCSV[r[col]] {
			t.Errorf("messages.csv row %d: exhibit id %s appears twice", i+2, r[col])
		}
		inCSV[r[col]] = true
	}
	if len(inCSV) < 10 {
		t.Fatalf("messages.csv has %d exhibits, the test case has 12 messages", len(inCSV))
	}
	check := func(name, text string) {
		cited := map[string]bool{}
		for _, id := range exhibitRe.FindAllString(text, -1) {
			cited[id] = true
		}
		var notInCSV, notCited []string
		for id := range cited {
			if !inCSV[id] {
				notInCSV = append(notInCSV, id)
			}
		}
		for id := range inCSV {
			if !cited[id] {
				notCited = append(notCited, id)
			}
		}
		sort.Strings(notInCSV)
		sort.Strings(notCited)
		if len(notInCSV) > 0 {
			t.Errorf("%s cites exhibits missing from messages.csv: %v", name, notInCSV)
		}
		if len(notCited) > 0 {
			t.Errorf("%s: annex lacks exhibits of messages.csv: %v", name, notCited)
		}
	}
	for _, lang := range []string{"fr", "en"} {
		b, err := os.ReadFile(filepath.Join(bag, "data", "report", "report."+lang+".html"))
		if err != nil {
			t.Fatal(err)
		}
		check("report."+lang+".html", html.UnescapeString(string(b)))
		if _, err := exec.LookPath("pdftotext"); err != nil {
			continue
		}
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(bag, "data", "report", "report."+lang+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		check("report."+lang+".pdf", string(out))
	}
}

package evidence

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers/detect"
	"raidtrace/importers/smsbackup"
)

func sha256Of(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// mmsCase is a case holding an SMS Backup & Restore backup with two MMS: a photo (sent twice), a
// picture over 64 KiB and a part without data, beside text parts.
// With zipped, the backup is imported inside a ZIP of exports.
func mmsCase(t *testing.T, zipped bool) (c *casefile.Case, jpeg, png []byte) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	c, err := casefile.Create(ctx, filepath.Join(dir, "mms"+casefile.Extension), casefile.Info{ID: "7d3e0a1b-0000-4000-8000-000000000002", Name: "MMS"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	jpeg = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF"), bytes.Repeat([]byte{1, 2, 3}, 100)...)
	png = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("IDAT"), 30<<10)...)
	enc := base64.StdEncoding.EncodeToString
	xml := "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count='2'>\n" +
		"<mms date='1714594387000' msg_box='1' address='+33612345601' m_type='132'><parts>\n" +
		"<part seq='-1' ct='application/smil' text='&lt;smil/&gt;'/>\n" +
		"<part seq='0' ct='image/jpeg' cl='photo.jpg' data='" + enc(jpeg) + "'/>\n" +
		"<part seq='0' ct='text/plain' text='regarde'/>\n" +
		"</parts><addrs><addr address='+33612345601' type='137'/></addrs></mms>\n" +
		"<mms date='1714594407000' msg_box='1' address='+33612345602' m_type='132'><parts>\n" +
		"<part seq='0' ct='image/jpeg' cl='same.jpg' data='" + enc(jpeg) + "'/>\n" +
		"<part seq='0' ct='image/png' cl='big.png' data='" + enc(png) + "'/>\n" +
		"<part seq='0' ct='video/mp4' cl='gone.mp4'/>\n" +
		"</parts><addrs><addr address='+33612345602' type='137'/></addrs></mms>\n" +
		"</smses>\n"
	src, format, data := filepath.Join(dir, "sms-20240501.xml"), smsbackup.Format, []byte(xml)
	if zipped {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		zw.Create("notes/")
		fw, _ := zw.Create("phone/sms-20240501.xml")
		fw.Write(data)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		src, format, data = filepath.Join(dir, "exports.zip"), detect.Zip, b.Bytes()
	}
	if err := os.WriteFile(src, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, src, format, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Analyze(ctx, analysis.DefaultParams(), nil); err != nil {
		t.Fatal(err)
	}
	return c, jpeg, png
}

// TestExportAttachments: the bag holds each attachment whose bytes the backup holds once, as
// data/attachments/<sha256>.<ext>, whose hash is its name and the hash messages.jsonl gives; the
// bag verifies; the README counts the attachment without data as metadata only; the redacted
// variant holds no attachment and says so.
func TestExportAttachments(t *testing.T) {
	for _, zipped := range []bool{false, true} {
		t.Run(fmt.Sprintf("zipped=%v", zipped), func(t *testing.T) { testExportAttachments(t, zipped) })
	}
}

func testExportAttachments(t *testing.T, zipped bool) {
	c, jpeg, png := mmsCase(t, zipped)
	bag := exportTest(t, c, Options{})
	r, err := VerifyWith(context.Background(), bag, VerifyOptions{AllowUnsigned: true}) // the test exports without a key
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() {
		t.Errorf("bag does not verify: %v", r.Problems)
	}
	files, _ := filepath.Glob(filepath.Join(bag, "data/attachments/*"))
	var got []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		if h := sha256Of(b); !strings.HasPrefix(name, h+".") {
			t.Errorf("%s: bytes hash to %s, not to its name", name, h)
		}
		got = append(got, name)
	}
	want := []string{sha256Of(jpeg) + ".jpg", sha256Of(png) + ".png"}
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("data/attachments holds %v, want %v", got, want)
	}

	f, err := os.Open(filepath.Join(bag, "data/messages.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	listed := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var row struct {
			Attachments []struct {
				MIME   string `json:"mime"`
				SHA256 string `json:"sha256"`
			} `json:"attachments"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		for _, a := range row.Attachments {
			listed[a.SHA256]++
		}
	}
	wantListed := map[string]int{sha256Of(jpeg): 2, sha256Of(png): 1, "": 1}
	if len(listed) != len(wantListed) {
		t.Errorf("messages.jsonl lists attachment hashes %v, want %v", listed, wantListed)
	}
	for h, n := range wantListed {
		if listed[h] != n {
			t.Errorf("messages.jsonl lists %q %d times, want %d", h, listed[h], n)
		}
	}
	readme, _ := os.ReadFile(filepath.Join(bag, "README.txt"))
	flat := strings.Join(strings.Fields(string(readme)), " ")
	for _, s := range []string{"2 files; 1 of the 4 attachments listed are metadata only", "2 fichiers ; 1 des 4 pièces jointes"} {
		if !strings.Contains(flat, s) {
			t.Errorf("README.txt does not say %q", s)
		}
	}

	red := exportTest(t, c, Options{Redact: true})
	if _, err := os.Stat(filepath.Join(red, "data/attachments")); !os.IsNotExist(err) {
		t.Errorf("redacted bag has data/attachments (%v), want none", err)
	}
	if r, err := VerifyWith(context.Background(), red, VerifyOptions{AllowUnsigned: true}); err != nil || !r.OK() {
		t.Errorf("redacted bag does not verify: %v %v", err, r)
	}
	readme, _ = os.ReadFile(filepath.Join(red, "README.txt"))
	flat = strings.Join(strings.Fields(string(readme)), " ")
	for _, s := range []string{"NOT in this pseudonymised variant (pictures", "the 4 attachments listed are metadata only",
		"ABSENTES de cette variante pseudonymisée"} {
		if !strings.Contains(flat, s) {
			t.Errorf("redacted README.txt does not say %q", s)
		}
	}
}

// TestWriteAttachmentHash: bytes that do not hash to the announced hash are an error, not a
// file misnamed in the bag.
func TestWriteAttachmentHash(t *testing.T) {
	w := &bagWriter{root: t.TempDir()}
	a := &attachmentCount{want: map[string]bool{}, pending: 2}
	good := []byte("photo")
	if err := writeAttachment(w, sha256Of(good), "image/jpeg", bytes.NewReader(good), a); err != nil || !a.want[sha256Of(good)] {
		t.Errorf("good bytes: got %v, written %v", err, a.want)
	}
	bad := sha256Of([]byte("other"))
	err := writeAttachment(w, bad, "", bytes.NewReader(good), a)
	if err == nil || !strings.Contains(err.Error(), "not to its name") || a.want[bad] {
		t.Errorf("bad bytes: got %v, want an error naming the mismatch", err)
	}
}

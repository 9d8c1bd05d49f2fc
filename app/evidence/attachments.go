package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"raidtrace/app/casefile"
	"raidtrace/importers"
	"raidtrace/importers/detect"
	"raidtrace/importers/smsbackup"
)

// attachmentDir is where the bag keeps the attachments whose bytes the originals hold, each
// named by its SHA-256: data/attachments/<sha256>[.ext].
const attachmentDir = "data/attachments/"

// mediaReaders are the formats that can hand over attachment bytes ([importers.Options.Media]),
// by format ID; the stored original of a source in one of them is read again to extract them.
// X archives and chat exports record attachment names without hashes: they are not listed.
var mediaReaders = map[string]func(context.Context, io.Reader, importers.Options, importers.Sink) error{
	smsbackup.Format.ID: smsbackup.Read,
	detect.Zip.ID:       readZipMedia, // its SMS Backup & Restore members
}

// readZipMedia reads a stored ZIP of exports through a temporary copy, as ZIP members can only
// be read from a file.
func readZipMedia(ctx context.Context, r io.Reader, opt importers.Options, sink importers.Sink) error {
	f, err := os.CreateTemp("", "raidtrace-zip-*")
	if err != nil {
		return fmt.Errorf("temporary copy: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return fmt.Errorf("temporary copy: %w", err)
	}
	return detect.ReadZip(ctx, f, n, opt, sink)
}

// attachmentCount is what the bundle says about the messages' attachments.
type attachmentCount struct {
	Listed int // attachments the messages list
	Files  int // distinct attachments written to data/attachments
	// MetaOnly is how many of the listed attachments have no file in the bag: metadata only
	// (the source does not hold their bytes, or this is the redacted variant).
	MetaOnly int
	want     map[string]bool // hash -> written; the hashes the messages list
	listed   map[string]int  // hash -> how many listings
	pending  int             // hashes in want not written yet
	sources  map[int64]bool  // the sources of the messages listing a hash
}

// errAllWritten stops reading an original once every listed attachment is in the bag.
var errAllWritten = errors.New("every attachment written")

// add counts the attachments of one message.
func (a *attachmentCount) add(msg *casefile.Message) {
	for _, at := range msg.Attachments {
		a.Listed++
		if h := strings.ToLower(at.SHA256); isSHA256(h) {
			if a.want == nil {
				a.want, a.listed, a.sources = map[string]bool{}, map[string]int{}, map[int64]bool{}
			}
			if _, ok := a.want[h]; !ok {
				a.want[h] = false
				a.pending++
			}
			a.listed[h]++
			a.sources[msg.SourceID] = true
		}
	}
}

// finish sets Files and MetaOnly from what was written.
func (a *attachmentCount) finish() {
	a.Files, a.MetaOnly = 0, a.Listed
	for h, done := range a.want {
		if done {
			a.Files++
			a.MetaOnly -= a.listed[h]
		}
	}
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= s[i] && s[i] <= 'f') {
			return false
		}
	}
	return true
}

// attachmentPath is data/attachments/<sha256>[.ext], the extension from the MIME type when known.
func attachmentPath(sha, mime string) string {
	return attachmentDir + sha + mimeExt[strings.ToLower(strings.TrimSpace(mime))]
}

// mimeExt gives the file extension of the MIME types found in message attachments. A fixed
// table rather than the system's, so that a bag's names do not depend on the machine.
var mimeExt = map[string]string{
	"image/jpeg": ".jpg", "image/jpg": ".jpg", "image/pjpeg": ".jpg", "image/png": ".png",
	"image/gif": ".gif", "image/webp": ".webp", "image/heic": ".heic", "image/heif": ".heif",
	"image/bmp": ".bmp", "image/tiff": ".tif", "image/svg+xml": ".svg",
	"video/mp4": ".mp4", "video/3gpp": ".3gp", "video/3gpp2": ".3g2", "video/quicktime": ".mov",
	"video/webm": ".webm", "video/mpeg": ".mpg",
	"audio/amr": ".amr", "audio/mpeg": ".mp3", "audio/mp3": ".mp3", "audio/mp4": ".m4a",
	"audio/aac": ".aac", "audio/ogg": ".ogg", "audio/wav": ".wav", "audio/x-wav": ".wav",
	"audio/3gpp": ".3gp", "audio/opus": ".opus",
	"text/plain": ".txt", "text/x-vcard": ".vcf", "text/vcard": ".vcf", "text/x-vcalendar": ".vcs",
	"text/calendar": ".ics", "text/html": ".html",
	"application/pdf": ".pdf", "application/zip": ".zip",
}

// writeAttachments reads again, through its format, the stored original of every source whose
// format holds attachment bytes, and writes each attachment the messages list (m.att.want)
// once, to data/attachments. The bytes stream from the original to the bag; a file whose bytes
// do not hash to its name is an error.
func (m *Model) writeAttachments(ctx context.Context, w *bagWriter, open originalOpener) error {
	a := &m.att
	if len(a.want) == 0 {
		return nil
	}
	for _, s := range m.Sources {
		read := mediaReaders[s.Format]
		if read == nil || s.Folder || !a.sources[s.ID] {
			continue
		}
		if a.pending == 0 {
			break
		}
		rc, err := open(ctx, s.ID)
		if err != nil {
			return fmt.Errorf("original of source %d (%s): %w", s.ID, s.Name, err)
		}
		opt := importers.Options{Media: func(sha, mime string, r io.Reader) error {
			if done, ok := a.want[sha]; !ok || done {
				return nil
			}
			if err := writeAttachment(w, sha, mime, r, a); err != nil {
				return err
			}
			if a.pending == 0 {
				return errAllWritten
			}
			return nil
		}}.WithDefaults()
		err = read(ctx, ctxReader{ctx, rc}, opt, discardSink{})
		rc.Close()
		if err != nil && !errors.Is(err, errAllWritten) {
			return fmt.Errorf("attachments of source %d (%s): %w", s.ID, s.Name, err)
		}
	}
	return nil
}

func writeAttachment(w *bagWriter, sha, mime string, r io.Reader, a *attachmentCount) error {
	p := attachmentPath(sha, mime)
	h, err := w.create(p)
	if err != nil {
		return err
	}
	if _, err := io.Copy(h, r); err != nil {
		h.f.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	if err := h.Close(); err != nil {
		return err
	}
	if got := w.payload[len(w.payload)-1].sums["sha256"]; got != sha {
		return fmt.Errorf("write %s: its bytes hash to %s, not to its name", p, got)
	}
	a.want[sha] = true
	a.pending--
	return nil
}

// discardSink ignores what a second read of an original decodes: the case holds it already.
type discardSink struct{}

func (discardSink) Record(importers.Record) error { return nil }
func (discardSink) Problem(importers.Problem)     {}

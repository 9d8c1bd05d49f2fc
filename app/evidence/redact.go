package evidence

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"raidtrace/analysis"
	"raidtrace/app/casefile"
	"raidtrace/importers"
)

// pseudonymKey is the HMAC key of pseudonyms: derived from the signing key when there is one
// (so pseudonyms of phone numbers cannot be recomputed by guessing numbers), else from the case
// id alone (weaker: anyone with the case id can test guesses). The same case, key and sender
// always give the same pseudonym.
func pseudonymKey(caseID string, s *Signer) []byte {
	h := sha256.New()
	h.Write([]byte("raidtrace pseudonyms\x00" + caseID + "\x00"))
	if s != nil {
		h.Write(s.pseudonymKey())
	}
	return h.Sum(nil)
}

// Pseudonym returns the stable pseudonym of a sender key ("P-" and 10 hex digits).
func Pseudonym(key []byte, sender string) string {
	if sender == "" {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(sender))
	return "P-" + hex.EncodeToString(mac.Sum(nil))[:10]
}

var (
	rePhone  = regexp.MustCompile(`\+?\d[\d .\-()]{6,}\d`)
	reHandle = regexp.MustCompile(`@[\p{L}\p{N}_.]{1,64}`)
	reEmail  = regexp.MustCompile(`[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.[\p{L}]{2,}`)
)

// MaskText replaces e-mail addresses, phone numbers and @handles in a text.
func MaskText(s string) string {
	s = reEmail.ReplaceAllString(s, "[e-mail]")
	s = rePhone.ReplaceAllString(s, "[tel]")
	s = reHandle.ReplaceAllString(s, "@[…]")
	return s
}

func redactParty(key []byte, p importers.Party) importers.Party {
	if p.IsZero() {
		return p
	}
	return importers.Party{Raw: Pseudonym(key, p.Key())}
}

// keyedLabel is a pseudonym of value in its own domain, shown with its own prefix ("N-…" for
// display names, "B-…" for number blocks) so that it is not mistaken for a sender's.
func keyedLabel(key []byte, prefix, domain, value string) string {
	if value == "" {
		return ""
	}
	return prefix + strings.TrimPrefix(Pseudonym(key, domain+":"+value), "P-")
}

// RecordHashRedacted is the record hash a pseudonymised bundle prints for a message: the
// HMAC-SHA-256 (hex), under the pseudonym key, of its real record hash. The real one is a
// SHA-256 over fields that the bundle prints, all but the sender: it would let anyone find the
// sender by trying every number of a range. The keyed one still tells records apart and can be
// matched with the full bundle by whoever holds the key.
func RecordHashRedacted(key []byte, hash string) string {
	if hash == "" {
		return ""
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("record:" + hash))
	return hex.EncodeToString(mac.Sum(nil))
}

// Redact pseudonymises the model in place for the press/NGO variant: senders and recipients
// become pseudonyms, phone numbers, e-mail addresses and handles are masked in texts, platform
// ids and extra fields are dropped, attachment and source names are replaced, record hashes
// become keyed hashes ([RecordHashRedacted]). Every sender-derived field of the analysis result
// is replaced too: network edges and sender rhythms carry the senders' pseudonyms, display names
// and number blocks keyed labels, texts and matched words are masked. The custody log keeps its
// hashes but its source names, paths, case name and notes are masked ([redactCustody]).
func (m *Model) Redact(key []byte) {
	m.Redacted = true
	for i := range m.Messages {
		redactMessage(key, &m.Messages[i])
	}
	for i := range m.Sources {
		m.Sources[i].Name = fmt.Sprintf("source-%d", m.Sources[i].ID)
		m.Sources[i].Path = ""
	}
	if m.Analysis != nil && m.Analysis.Result != nil {
		a := *m.Analysis
		a.Result = redactResult(key, m.Analysis.Result)
		m.Analysis = &a
	}
	for i := range m.Decisions {
		m.Decisions[i].Note = MaskText(m.Decisions[i].Note)
	}
	m.Custody = redactCustody(m.Custody)
}

// redactResult returns a copy of r with every field that names or derives from a sender
// replaced: the slices it changes are copied, r itself is left as it is.
func redactResult(key []byte, r *analysis.Result) *analysis.Result {
	out := *r
	out.Clusters = slices.Clone(r.Clusters)
	for i := range out.Clusters {
		redactCluster(key, &out.Clusters[i])
	}
	out.Cadence = slices.Clone(r.Cadence)
	for i := range out.Cadence {
		out.Cadence[i] = redactCadence(key, out.Cadence[i])
	}
	// co-signal values: handles become pseudonyms, URLs are masked like texts
	out.CoSignals = slices.Clone(r.CoSignals)
	for i := range out.CoSignals {
		cs := &out.CoSignals[i]
		switch cs.Kind {
		case "mention":
			cs.Value = "@" + Pseudonym(key, "mention:"+cs.Value)
		case "media": // a content hash
		default:
			cs.Value = MaskText(cs.Value)
		}
	}
	out.Network = slices.Clone(r.Network)
	for i := range out.Network {
		e := &out.Network[i]
		e.A, e.B = Pseudonym(key, e.A), Pseudonym(key, e.B)
	}
	out.DupNames = slices.Clone(r.DupNames)
	for i := range out.DupNames {
		out.DupNames[i].Name = keyedLabel(key, "N-", "name", out.DupNames[i].Name)
	}
	out.Flags = slices.Clone(r.Flags)
	for i := range out.Flags {
		out.Flags[i].Matched = maskTexts(out.Flags[i].Matched)
	}
	return &out
}

// redactCluster pseudonymises one cluster of a result as redactResult does, its lists copied
// first (they may be shared with the result it comes from).
func redactCluster(key []byte, c *analysis.Cluster) {
	c.Template = MaskText(c.Template)
	c.Normalised = MaskText(c.Normalised)
	c.Variants = slices.Clone(c.Variants)
	for j := range c.Variants {
		v := &c.Variants[j]
		v.Text, v.Example, v.Diff = MaskText(v.Text), MaskText(v.Example), maskTexts(v.Diff)
	}
	c.NumberBlocks = slices.Clone(c.NumberBlocks)
	for j := range c.NumberBlocks {
		c.NumberBlocks[j].Prefix = keyedLabel(key, "B-", "block", c.NumberBlocks[j].Prefix)
	}
	c.NamePatterns = slices.Clone(c.NamePatterns)
	for j := range c.NamePatterns {
		c.NamePatterns[j].Pattern = keyedLabel(key, "N-", "pattern", c.NamePatterns[j].Pattern)
	}
	c.Cadence = redactCadence(key, c.Cadence)
}

// redactCadence pseudonymises a sender's cadence and masks a text's.
func redactCadence(key []byte, c analysis.Cadence) analysis.Cadence {
	switch c.Scope {
	case "sender":
		c.Key = Pseudonym(key, c.Key)
	case "channel":
	default: // a cluster's template, or a scope added later: masked as a text
		c.Key = MaskText(c.Key)
	}
	return c
}

// maskTexts masks each text (nil stays nil).
func maskTexts(ss []string) []string {
	if ss == nil {
		return nil
	}
	o := make([]string, len(ss))
	for i, s := range ss {
		o[i] = MaskText(s)
	}
	return o
}

// custodyMasked is the value that stands for a masked custody detail.
const custodyMasked = "[redacted]"

// redactCustody returns the custody log for a pseudonymised bundle: source names become
// "source-<id>" (as in sources.csv), paths and the case name are masked, notes are masked like
// texts. An entry whose details changed lists the masked keys under "masked"; it keeps its
// hash and its link to the previous entry, so the chain's order and head can still be checked
// and compared with the full bundle's, but its content hash can no longer be recomputed
// ([Verify] allows that only in a bag whose bag-info.txt says Raidtrace-Redacted: true).
func redactCustody(entries []casefile.CustodyEntry) []casefile.CustodyEntry {
	out := make([]casefile.CustodyEntry, len(entries))
	for i, e := range entries {
		out[i] = e
		if len(e.Details) == 0 {
			continue
		}
		d := make(map[string]any, len(e.Details)+1)
		var masked []string
		for k, v := range e.Details {
			nv := redactDetail(e.Action, k, v, e.Details)
			if !reflect.DeepEqual(nv, v) {
				masked = append(masked, k)
			}
			d[k] = nv
		}
		if len(masked) > 0 {
			sort.Strings(masked)
			list := make([]any, len(masked))
			for j, k := range masked {
				list[j] = k
			}
			d[custodyMaskedKey] = list
			out[i].Details = d
		}
	}
	return out
}

// custodyMaskedKey is the details key listing what redactCustody masked in an entry (not
// "redacted": export entries already say under that name whether their bag was).
const custodyMaskedKey = "masked"

// redactDetail is the pseudonymised value of one custody detail.
func redactDetail(action, k string, v any, all map[string]any) any {
	switch x := v.(type) {
	case map[string]any: // settings: {"old": …, "new": …}
		o := make(map[string]any, len(x))
		for kk, vv := range x {
			o[kk] = redactDetail(action, k, vv, nil)
		}
		return o
	case string:
		switch {
		case k == "path":
			return custodyMasked
		case k == "name" && action == "import":
			if id, ok := all["source_id"]; ok {
				return fmt.Sprintf("source-%v", id)
			}
			return custodyMasked
		case k == "name" && (action == "create" || action == "settings"):
			return custodyMasked // the case name, left out of the report's cover too
		case k == "note":
			return MaskText(x)
		}
	}
	return v
}

// redactMessage pseudonymises one message as [Model.Redact] does.
func redactMessage(key []byte, msg *casefile.Message) {
	msg.Sender = redactParty(key, msg.Sender)
	for j := range msg.Recipients {
		msg.Recipients[j] = redactParty(key, msg.Recipients[j])
	}
	msg.Text = MaskText(msg.Text)
	msg.PlatformID = ""
	msg.Extra = nil
	if msg.Conversation != "" {
		msg.Conversation = Pseudonym(key, "conversation:"+msg.Conversation)
	}
	for j := range msg.Attachments {
		msg.Attachments[j].Name = ""
	}
	msg.Hash = RecordHashRedacted(key, msg.Hash)
}

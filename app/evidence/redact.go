package evidence

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"

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

// Redact pseudonymises the model in place for the press/NGO variant: senders and recipients
// become pseudonyms, phone numbers, e-mail addresses and handles are masked in texts, platform
// ids and extra fields are dropped, attachment and source names are replaced. Hashes are kept:
// they identify records, not people. The custody log is kept as it is, or its chain would break;
// it holds file paths and examiner names but no message text.
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
		for i := range m.Analysis.Result.Clusters {
			m.Analysis.Result.Clusters[i].Template = MaskText(m.Analysis.Result.Clusters[i].Template)
		}
		// co-signal values: handles become pseudonyms, URLs are masked like texts
		cs := slices.Clone(m.Analysis.Result.CoSignals)
		for i := range cs {
			switch cs[i].Kind {
			case "mention":
				cs[i].Value = "@" + Pseudonym(key, "mention:"+cs[i].Value)
			case "url", "hashtag":
				cs[i].Value = MaskText(cs[i].Value)
			}
		}
		m.Analysis.Result.CoSignals = cs
	}
	for i := range m.Decisions {
		m.Decisions[i].Note = MaskText(m.Decisions[i].Note)
	}
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
}

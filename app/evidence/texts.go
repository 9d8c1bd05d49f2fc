package evidence

import (
	"encoding/json"
	"io"
	"strings"
)

// textData is what the long texts (README, method) can print.
type textData struct {
	CaseID      string
	Agent       string
	Fingerprint string
	Signed      bool
	Redacted    bool
	Params      string // analysis parameters as JSON
	Version     string // analysis method version
	Both        bool   // the text is followed by its other language (README.txt), not alone (a report)
	// The messages' attachments: how many they list, how many distinct files data/attachments
	// holds, and how many listed attachments are metadata only (no file in the bag).
	Attachments, AttachmentFiles, AttachmentsMetaOnly int
}

func (m *Model) textData() textData {
	d := textData{CaseID: m.Info.ID, Agent: m.Agent, Fingerprint: m.Fingerprint, Signed: m.Fingerprint != "",
		Redacted: m.Redacted, Params: "{}", Version: "-",
		Attachments: m.att.Listed, AttachmentFiles: m.att.Files, AttachmentsMetaOnly: m.att.MetaOnly}
	if m.Analysis != nil && m.Analysis.Result != nil {
		b, _ := json.MarshalIndent(m.Analysis.Result.Params, "", "  ")
		d.Params = string(b)
		d.Version = m.Analysis.Result.Params.Version
	}
	return d
}

// writeBoth writes the long text name in French then English.
func (m *Model) writeBoth(w io.Writer, name string) error {
	var parts []string
	for _, lang := range []string{"fr", "en"} {
		t, err := loadStrings(lang)
		if err != nil {
			return err
		}
		data := m.textData()
		data.Both = true
		s, err := t.text(name, data)
		if err != nil {
			return err
		}
		parts = append(parts, strings.TrimSpace(s)+"\n")
	}
	_, err := io.WriteString(w, strings.Join(parts, "\n"+strings.Repeat("=", 72)+"\n\n"))
	return err
}

// WriteReadme writes README.txt (French, then English): what the bundle is and how to check it.
func (m *Model) WriteReadme(w io.Writer) error { return m.writeBoth(w, "readme") }

// WriteMethod writes the analysis method in plain words (French, then English).
func (m *Model) WriteMethod(w io.Writer) error { return m.writeBoth(w, "method") }

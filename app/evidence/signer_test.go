package evidence

import (
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// otherSigner is a second fixed key: someone else's install.
func otherSigner(t testing.TB) *Signer {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(200 - i)
	}
	s, err := NewSigner(ed25519.NewKeyFromSeed(seed))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// forge reseals bag as someone without the signing key would after changing it: bag-info.txt
// names key (or "none"), allowed_signers is key's (or removed when dropAllowed), every manifest
// is recomputed, the tag manifest signed by key (or the signature removed) and the time-stamp
// request rebuilt, so that only the signature policy can tell.
func forge(t *testing.T, bag string, key *Signer, dropAllowed bool) {
	t.Helper()
	fp := "none"
	if key != nil {
		fp = key.Fingerprint()
	}
	if err := rewrite(bag, fileBagInfo, func(s string) string {
		return replaceLine(s, "Raidtrace-Signer-Fingerprint: ", "Raidtrace-Signer-Fingerprint: "+fp)
	}); err != nil {
		t.Fatal(err)
	}
	switch {
	case key != nil:
		if err := os.WriteFile(filepath.Join(bag, fileAllowed), key.AllowedSigners(), 0o644); err != nil {
			t.Fatal(err)
		}
	case dropAllowed:
		if err := os.Remove(filepath.Join(bag, fileAllowed)); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(filepath.Join(bag, fileSig))
	if err := reseal(bag); err != nil {
		t.Fatal(err)
	}
	tm, err := os.ReadFile(filepath.Join(bag, fileTagMan256))
	if err != nil {
		t.Fatal(err)
	}
	if key != nil {
		sig, err := key.Sign(tm)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bag, fileSig), sig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tsq, err := TimeStampRequest(tm)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bag, fileTSQ), tsq, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tamperedMessages changes one message in data/messages.csv, as the forger of the audit did.
func tamperedMessages(t *testing.T, bag string) {
	t.Helper()
	if err := rewrite(bag, "data/messages.csv", func(s string) string { return strings.Replace(s, "conasse", "c0nasse", 1) }); err != nil {
		t.Fatal(err)
	}
}

func kinds(r *VerifyReport) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, string(p.Kind)+" "+p.Path)
	}
	return out
}

// TestVerifySignerPolicy: a bag whose signature was removed (and the manifests recomputed) fails
// unless unsigned bags are allowed; a bag re-signed by another key shows that key, and fails
// when the expected signer is pinned.
func TestVerifySignerPolicy(t *testing.T) {
	ours, theirs := testSigner(t).Fingerprint(), otherSigner(t).Fingerprint()
	unsignedBag := copyBag(t, sharedBag(t))
	tamperedMessages(t, unsignedBag)
	forge(t, unsignedBag, nil, true)
	halfUnsigned := copyBag(t, sharedBag(t))
	tamperedMessages(t, halfUnsigned)
	forge(t, halfUnsigned, nil, false) // allowed_signers left behind
	resigned := copyBag(t, sharedBag(t))
	tamperedMessages(t, resigned)
	forge(t, resigned, otherSigner(t), false)
	intact := sharedBag(t)

	tests := []struct {
		name        string
		bag         string
		opt         VerifyOptions
		ok          bool
		signed      bool
		fingerprint string
		problem     Kind   // on fileSig, when not ok
		detail      string // in that problem
	}{
		{"intact, any signer", intact, VerifyOptions{}, true, true, ours, "", ""},
		{"intact, pinned", intact, VerifyOptions{Signers: []string{ours}}, true, true, ours, "", ""},
		{"intact, pinned among others", intact, VerifyOptions{Signers: []string{theirs, ours}}, true, true, ours, "", ""},
		{"intact, pinned to another key", intact, VerifyOptions{Signers: []string{theirs}}, false, false, ours, Signature, "signed by " + ours + ", not by the expected key " + theirs},
		{"signature removed", unsignedBag, VerifyOptions{}, false, false, "", Unsigned, "not signed"},
		{"signature removed, unsigned allowed", unsignedBag, VerifyOptions{AllowUnsigned: true}, true, false, "", "", ""},
		{"signature removed, pinned", unsignedBag, VerifyOptions{Signers: []string{ours}, AllowUnsigned: true}, false, false, "", Unsigned, "a signature by " + ours + " is expected"},
		{"signature removed, allowed_signers left", halfUnsigned, VerifyOptions{AllowUnsigned: true}, false, false, "", Missing, "ships allowed_signers"},
		{"re-signed by another key", resigned, VerifyOptions{}, true, true, theirs, "", ""},
		{"re-signed by another key, pinned", resigned, VerifyOptions{Signers: []string{ours}}, false, false, theirs, Signature, "signed by " + theirs + ", not by the expected key " + ours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := VerifyWith(context.Background(), tt.bag, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() != tt.ok || r.Signed != tt.signed || r.Fingerprint != tt.fingerprint {
				t.Errorf("ok %v, signed %v, fingerprint %q; want %v, %v, %q; problems %v", r.OK(), r.Signed, r.Fingerprint,
					tt.ok, tt.signed, tt.fingerprint, r.Problems)
			}
			if got, want := r.SignerPinned, len(tt.opt.Signers) > 0; got != want {
				t.Errorf("signer pinned %v, want %v", got, want)
			}
			if got, want := r.UnsignedAllowed, tt.ok && !tt.signed; got != want {
				t.Errorf("unsigned allowed %v, want %v", got, want)
			}
			if tt.ok {
				return
			}
			found := false
			for _, p := range r.Problems {
				found = found || p.Path == fileSig && p.Kind == tt.problem && strings.Contains(p.Detail, tt.detail)
			}
			if !found {
				t.Errorf("no %s problem on %s saying %q; got %v", tt.problem, fileSig, tt.detail, r.Problems)
			}
			// the forged bags differ from what was signed only through the policy: nothing else is named
			if tt.bag != intact {
				for _, p := range r.Problems {
					if p.Path != fileSig {
						t.Errorf("unexpected problem %v (a forger's reseal should leave only the signature to tell)", p)
					}
				}
			}
		})
	}
	if _, err := VerifyWith(context.Background(), intact, VerifyOptions{Signers: []string{"MD5:ab:cd"}}); err == nil ||
		!strings.Contains(err.Error(), "MD5:ab:cd") {
		t.Errorf("malformed expected signer: error %v, want one naming it", err)
	}
	if r := mustVerify(t, unsignedBag); r.OK() {
		t.Errorf("Verify (no options) passes an unsigned bag: %v", kinds(r))
	}
}

func TestParseFingerprint(t *testing.T) {
	fp := testSigner(t).Fingerprint()
	for _, in := range []string{fp, " " + fp + "\n", "sha256:" + fp[7:], fp + "="} {
		if got, err := ParseFingerprint(in); err != nil || got != fp {
			t.Errorf("ParseFingerprint(%q) = %q, %v, want %q", in, got, err, fp)
		}
	}
	for _, in := range []string{"", "SHA256:", fp[7:], "MD5:" + fp[7:], fp[:len(fp)-1], fp + "AA", "SHA256:!!" + fp[9:]} {
		if got, err := ParseFingerprint(in); err == nil {
			t.Errorf("ParseFingerprint(%q) = %q, want an error", in, got)
		} else if !strings.Contains(err.Error(), "ssh-keygen -l") {
			t.Errorf("ParseFingerprint(%q): error %q does not say which form is wanted", in, err)
		}
	}
}

func TestReadSigners(t *testing.T) {
	ours, theirs := testSigner(t), otherSigner(t)
	in := "# expected signers\n\n" + theirs.Fingerprint() + "\n" +
		"256 " + ours.Fingerprint() + " raidtrace (ED25519)\n" + // ssh-keygen -l
		string(ours.AuthorizedKey()) + // .pub
		string(theirs.AllowedSigners()) // allowed_signers
	got, err := ReadSigners([]byte(in), "signers.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{theirs.Fingerprint(), ours.Fingerprint(), ours.Fingerprint(), theirs.Fingerprint()}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("ReadSigners = %v, want %v", got, want)
	}
	for _, tt := range []struct{ in, want string }{
		{"# nothing\n", "signers.txt: no fingerprint"},
		{ours.Fingerprint() + "\nnot a key\n", "signers.txt line 2: \"not a key\" is neither"},
		{"SHA256:tooshort\n", "signers.txt line 1: fingerprint"},
	} {
		if _, err := ReadSigners([]byte(tt.in), "signers.txt"); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadSigners(%q): error %v, want %q", tt.in, err, tt.want)
		}
	}
}

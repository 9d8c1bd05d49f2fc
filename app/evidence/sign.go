package evidence

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hiddeco/sshsig"
	"golang.org/x/crypto/ssh"
)

// Namespace is the SSHSIG namespace of bundle signatures (ssh-keygen -Y … -n raidtrace-bundle).
const Namespace = "raidtrace-bundle"

// Principal is the identity written in the bundle's allowed_signers (ssh-keygen -Y verify -I).
const Principal = "raidtrace"

// Key file names inside the key folder given to [LoadOrCreateKey].
const (
	KeyFile    = "raidtrace_ed25519"
	PubKeyFile = "raidtrace_ed25519.pub"
)

// Signer signs bundles with a per-install Ed25519 key.
type Signer struct {
	priv ed25519.PrivateKey
	ssh  ssh.Signer
}

// ConfigEnv names the folder that holds the signing key (in keys/) and the app's settings, for
// the window and the command line alike.
const ConfigEnv = "RAIDTRACE_CONFIG_DIR"

// ConfigDir is that folder: $RAIDTRACE_CONFIG_DIR when set, else raidtrace in the user's
// configuration folder (~/.config/raidtrace on Linux).
func ConfigDir() (string, error) {
	if d := os.Getenv(ConfigEnv); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config directory (set %s): %w", ConfigEnv, err)
	}
	return filepath.Join(d, "raidtrace"), nil
}

// LoadOrCreateKey loads the Ed25519 key stored in dir, or creates it (dir 0700, private key as an
// OpenSSH private key file 0600, public key beside it in authorized_keys form).
func LoadOrCreateKey(dir string) (*Signer, error) {
	p := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(p)
	switch {
	case err == nil:
		k, err := ssh.ParseRawPrivateKey(b)
		if err != nil {
			return nil, fmt.Errorf("read signing key %s: %w", p, err)
		}
		var priv ed25519.PrivateKey
		switch k := k.(type) {
		case ed25519.PrivateKey:
			priv = k
		case *ed25519.PrivateKey:
			priv = *k
		default:
			return nil, fmt.Errorf("signing key %s: %T is not an Ed25519 key", p, k)
		}
		return newSigner(priv)
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create key folder: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	s, err := newSigner(priv)
	if err != nil {
		return nil, err
	}
	blk, err := ssh.MarshalPrivateKey(priv, "raidtrace bundle signing key")
	if err != nil {
		return nil, fmt.Errorf("encode signing key: %w", err)
	}
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create signing key: %w", err)
	}
	if err := pem.Encode(f, blk); err != nil {
		f.Close()
		return nil, fmt.Errorf("write signing key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write signing key: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, PubKeyFile), s.AuthorizedKey(), 0o644); err != nil {
		return nil, fmt.Errorf("write public key: %w", err)
	}
	return s, nil
}

// NewSigner wraps an Ed25519 private key (tests, callers with their own key storage).
func NewSigner(priv ed25519.PrivateKey) (*Signer, error) { return newSigner(priv) }

func newSigner(priv ed25519.PrivateKey) (*Signer, error) {
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return &Signer{priv: priv, ssh: s}, nil
}

// PublicKey returns the SSH public key.
func (s *Signer) PublicKey() ssh.PublicKey { return s.ssh.PublicKey() }

// Fingerprint is the key's fingerprint as ssh-keygen -l prints it ("SHA256:…").
func (s *Signer) Fingerprint() string { return ssh.FingerprintSHA256(s.ssh.PublicKey()) }

// AuthorizedKey is the public key in authorized_keys form ("ssh-ed25519 AAAA… raidtrace\n").
func (s *Signer) AuthorizedKey() []byte {
	k := bytes.TrimSpace(ssh.MarshalAuthorizedKey(s.ssh.PublicKey()))
	return append(k, []byte(" raidtrace\n")...)
}

// AllowedSigners is the allowed_signers file shipped in bundles.
func (s *Signer) AllowedSigners() []byte {
	k := bytes.TrimSpace(ssh.MarshalAuthorizedKey(s.ssh.PublicKey()))
	return []byte(fmt.Sprintf("%s namespaces=%q %s\n", Principal, Namespace, k))
}

// Sign returns the armored SSHSIG signature of msg. Ed25519 signatures are deterministic.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	sig, err := sshsig.Sign(bytes.NewReader(msg), s.ssh, sshsig.HashSHA512, Namespace)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return sshsig.Armor(sig), nil
}

// pseudonymKey derives a secret for pseudonyms from the private key, so that pseudonyms cannot be
// recomputed from phone numbers by someone without the key.
func (s *Signer) pseudonymKey() []byte {
	h := sha256.New()
	h.Write([]byte("raidtrace pseudonym key\x00"))
	h.Write(s.priv.Seed())
	return h.Sum(nil)
}

// parseAllowedSigners reads allowed_signers lines "principals [options] keytype base64 [comment]"
// and returns the keys whose principal list holds principal.
func parseAllowedSigners(data []byte, principal string) ([]ssh.PublicKey, error) {
	var keys []ssh.PublicKey
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			return nil, fmt.Errorf("allowed_signers line %d: too few fields", n+1)
		}
		match := false
		for _, p := range strings.Split(fields[0], ",") {
			if p == principal || p == "*" {
				match = true
			}
		}
		var key ssh.PublicKey
		for i := 1; i < len(fields); i++ { // the key is the first field that parses
			k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.Join(fields[i:], " ")))
			if err == nil {
				key = k
				break
			}
		}
		if key == nil {
			return nil, fmt.Errorf("allowed_signers line %d: no public key", n+1)
		}
		if match {
			keys = append(keys, key)
		}
	}
	return keys, nil
}

// verifySignature checks an armored SSHSIG over msg against keys; it returns the fingerprint of
// the key that made it.
func verifySignature(msg, armored []byte, keys []ssh.PublicKey) (string, error) {
	sig, err := sshsig.Unarmor(armored)
	if err != nil {
		return "", fmt.Errorf("read signature: %w", err)
	}
	if len(keys) == 0 {
		return "", fmt.Errorf("allowed_signers names no key for %q", Principal)
	}
	var last error
	for _, k := range keys {
		if err := sshsig.Verify(bytes.NewReader(msg), sig, k, sig.HashAlgorithm, Namespace); err != nil {
			last = err
			continue
		}
		return ssh.FingerprintSHA256(k), nil
	}
	return "", fmt.Errorf("signature does not match %s: %w", fileTagMan256, last)
}

// ParseFingerprint checks that s is a key fingerprint as ssh-keygen -l prints it and returns it
// in that form: "SHA256:" and the unpadded base64 of a SHA-256 digest (43 characters). The
// prefix may be written in any case; padding "=" is dropped.
func ParseFingerprint(s string) (string, error) {
	s = strings.TrimSpace(s)
	const prefix = "SHA256:"
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return "", fmt.Errorf("fingerprint %q: want %s and 43 base64 characters, as ssh-keygen -l prints it", clip(s, 80), prefix)
	}
	b64 := strings.TrimRight(s[len(prefix):], "=")
	d, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(d) != sha256.Size {
		return "", fmt.Errorf("fingerprint %q: %q is not the base64 of a SHA-256 digest (43 characters), as ssh-keygen -l prints it", clip(s, 80), clip(b64, 60))
	}
	return prefix + base64.RawStdEncoding.EncodeToString(d), nil
}

// ReadSigners reads a file of expected signers for [VerifyOptions.Signers], named name in errors.
// Each line holds a fingerprint ("SHA256:…", alone or as one field of an ssh-keygen -l line) or
// an SSH public key (an authorized_keys, .pub or allowed_signers line), whose fingerprint is
// taken; blank lines and lines starting with "#" are skipped. A line that is neither is an
// error naming it.
func ReadSigners(data []byte, name string) ([]string, error) {
	var out []string
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		fp := ""
		for _, f := range fields {
			if len(f) >= 7 && strings.EqualFold(f[:7], "SHA256:") {
				p, err := ParseFingerprint(f)
				if err != nil {
					return nil, fmt.Errorf("%s line %d: %w", name, n+1, err)
				}
				fp = p
				break
			}
		}
		for i := 0; fp == "" && i < len(fields); i++ { // the key is the first field that parses
			if k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(strings.Join(fields[i:], " "))); err == nil {
				fp = ssh.FingerprintSHA256(k)
			}
		}
		if fp == "" {
			return nil, fmt.Errorf("%s line %d: %q is neither a SHA256: fingerprint nor an SSH public key", name, n+1, clip(line, 80))
		}
		out = append(out, fp)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no fingerprint or public key in it", name)
	}
	return out, nil
}

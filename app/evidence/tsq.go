package evidence

import (
	"bytes"
	"context"
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/digitorus/timestamp"
)

var oidSHA256 = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type messageImprint struct {
	HashAlgorithm algorithmIdentifier
	HashedMessage []byte
}

// timeStampReq is RFC 3161 section 2.4.1's TimeStampReq without reqPolicy and extensions.
type timeStampReq struct {
	Version        int
	MessageImprint messageImprint
	Nonce          *big.Int `asn1:"optional"`
	CertReq        bool     `asn1:"optional"`
}

// tsqNonce derives the request nonce from the digest, so the same tag manifest always gives the
// same request bytes (and a verifier can recompute them).
func tsqNonce(digest []byte) *big.Int {
	h := sha256.Sum256(append([]byte("raidtrace tsq nonce\x00"), digest...))
	h[0] &= 0x7f // positive, 63 bits
	return new(big.Int).SetBytes(h[:8])
}

// TimeStampRequest returns the DER RFC 3161 TimeStampReq over msg: version 1, SHA-256 imprint,
// a nonce derived from the digest, certReq true.
func TimeStampRequest(msg []byte) ([]byte, error) {
	d := sha256.Sum256(msg)
	req := timeStampReq{
		Version: 1,
		MessageImprint: messageImprint{
			HashAlgorithm: algorithmIdentifier{Algorithm: oidSHA256, Parameters: asn1.NullRawValue},
			HashedMessage: d[:],
		},
		Nonce:   tsqNonce(d[:]),
		CertReq: true,
	}
	b, err := asn1.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encode time-stamp request: %w", err)
	}
	return b, nil
}

// TimeStamp is what this package reads from a time-stamp response whose signature verified.
type TimeStamp struct {
	Status  int
	Imprint []byte
	Nonce   *big.Int
	GenTime time.Time
	Signer  *x509.Certificate // the certificate the token carries and its signature verifies with
}

type pkiStatusInfo struct {
	Status int
	Rest   asn1.RawValue `asn1:"optional"`
	Rest2  asn1.RawValue `asn1:"optional"`
}

type timeStampResp struct {
	Status pkiStatusInfo
	Token  asn1.RawValue `asn1:"optional"`
}

var errTSR = errors.New("not a usable time-stamp response")

// ParseTimeStampResponse reads a DER TimeStampResp (RFC 3161): it must be granted, and its
// token's CMS signature must verify with the signing certificate the token carries (the TSA
// answers a request with certReq, as [TimeStampRequest] makes). Whether that certificate
// belongs to a trusted authority is not checked here: the bundle README says how with
// `openssl ts -verify` and the authority's certificates.
func ParseTimeStampResponse(der []byte) (*TimeStamp, error) {
	var resp timeStampResp
	rest, err := asn1.Unmarshal(der, &resp)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errTSR, err)
	}
	if len(rest) > 0 {
		return nil, fmt.Errorf("%w: trailing bytes", errTSR)
	}
	ts := &TimeStamp{Status: resp.Status.Status}
	if ts.Status != 0 && ts.Status != 1 {
		return ts, fmt.Errorf("%w: time-stamp authority refused (status %d)", errTSR, ts.Status)
	}
	if len(resp.Token.FullBytes) == 0 {
		return ts, fmt.Errorf("%w: no token", errTSR)
	}
	// timestamp.Parse checks the CMS signature whenever the token carries certificates
	tok, err := timestamp.Parse(resp.Token.FullBytes)
	if err != nil {
		return ts, fmt.Errorf("%w: token signature or content: %v", errTSR, err)
	}
	if len(tok.Certificates) == 0 {
		return ts, fmt.Errorf("%w: the token carries no certificate, so its signature cannot be checked", errTSR)
	}
	ts.Imprint, ts.Nonce, ts.GenTime = tok.HashedMessage, tok.Nonce, tok.Time
	ts.Signer = tok.Certificates[0]
	if tok.HashAlgorithm != crypto.SHA256 {
		return ts, fmt.Errorf("%w: the imprint is %v, not SHA-256", errTSR, tok.HashAlgorithm)
	}
	return ts, nil
}

// checkTimeStamp checks that a response answers the bag's request: granted, signed (see
// [ParseTimeStampResponse]), same imprint and nonce.
func checkTimeStamp(tsr, tagManifest []byte) error {
	ts, err := ParseTimeStampResponse(tsr)
	if err != nil {
		return err
	}
	d := sha256.Sum256(tagManifest)
	if !bytes.Equal(ts.Imprint, d[:]) {
		return fmt.Errorf("time-stamp is over %x, not over %s (%x)", ts.Imprint, fileTagMan256, d[:])
	}
	if ts.Nonce != nil && ts.Nonce.Cmp(tsqNonce(d[:])) != 0 {
		return fmt.Errorf("time-stamp nonce %s is not the request's", ts.Nonce)
	}
	return nil
}

// Stamp sends the bag's time-stamp request to the RFC 3161 time-stamp authority at tsaURL and
// stores its response as tagmanifest-sha256.txt.tsr. This is the only function of the
// application that opens a network connection; call it only on the user's explicit request.
// The bag stays valid: the response is a tag file outside the manifests, checked by [Verify].
func Stamp(ctx context.Context, bag, tsaURL string) error {
	tm, err := os.ReadFile(filepath.Join(bag, fileTagMan256))
	if err != nil {
		return fmt.Errorf("stamp: %w", err)
	}
	req, err := TimeStampRequest(tm)
	if err != nil {
		return fmt.Errorf("stamp: %w", err)
	}
	if old, err := os.ReadFile(filepath.Join(bag, fileTSQ)); err == nil && !bytes.Equal(old, req) {
		return fmt.Errorf("stamp: %s does not match %s: verify the bag first", fileTSQ, fileTagMan256)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, tsaURL, bytes.NewReader(req))
	if err != nil {
		return fmt.Errorf("stamp: %w", err)
	}
	hr.Header.Set("Content-Type", "application/timestamp-query")
	hr.Header.Set("Accept", "application/timestamp-reply")
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		return fmt.Errorf("stamp: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("stamp: read response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("stamp: time-stamp authority answered %s", resp.Status)
	}
	if err := checkTimeStamp(body, tm); err != nil {
		return fmt.Errorf("stamp: %w", err)
	}
	tmp := filepath.Join(bag, ".partial-"+fileTSR)
	if err := os.WriteFile(tmp, body, 0o644); err != nil {
		return fmt.Errorf("stamp: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(bag, fileTSR)); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("stamp: %w", err)
	}
	return nil
}

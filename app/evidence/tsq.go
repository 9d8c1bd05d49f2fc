package evidence

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"time"
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

// TimeStamp is what this package reads from a time-stamp response (the TSA's signature itself
// is checked by `openssl ts -verify`, see the bundle README).
type TimeStamp struct {
	Status  int
	Imprint []byte
	Nonce   *big.Int
	GenTime time.Time
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

type contentInfo struct {
	ContentType asn1.ObjectIdentifier
	Content     asn1.RawValue `asn1:"explicit,tag:0"`
}

type encapContentInfo struct {
	EContentType asn1.ObjectIdentifier
	EContent     asn1.RawValue `asn1:"explicit,optional,tag:0"`
}

type signedData struct {
	Version          int
	DigestAlgorithms asn1.RawValue
	EncapContent     encapContentInfo
	Rest             asn1.RawValue `asn1:"optional"`
}

type tstInfo struct {
	Version        int
	Policy         asn1.ObjectIdentifier
	MessageImprint messageImprint
	SerialNumber   *big.Int
	GenTime        time.Time     `asn1:"generalized"`
	Rest           asn1.RawValue `asn1:"optional"`
}

var errTSR = errors.New("not a usable time-stamp response")

// ParseTimeStampResponse reads the status and the TSTInfo of a DER TimeStampResp.
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
	var ci contentInfo
	if _, err := asn1.Unmarshal(resp.Token.FullBytes, &ci); err != nil {
		return ts, fmt.Errorf("%w: token: %v", errTSR, err)
	}
	var sd signedData
	if _, err := asn1.Unmarshal(ci.Content.Bytes, &sd); err != nil {
		return ts, fmt.Errorf("%w: signed data: %v", errTSR, err)
	}
	var octets []byte
	if _, err := asn1.Unmarshal(sd.EncapContent.EContent.Bytes, &octets); err != nil {
		return ts, fmt.Errorf("%w: content: %v", errTSR, err)
	}
	var info tstInfo
	if _, err := asn1.Unmarshal(octets, &info); err != nil {
		return ts, fmt.Errorf("%w: TSTInfo: %v", errTSR, err)
	}
	ts.Imprint = info.MessageImprint.HashedMessage
	ts.GenTime = info.GenTime
	// the nonce sits after optional accuracy and ordering: scan the remaining fields for it
	ts.Nonce = findNonce(octets)
	return ts, nil
}

// findNonce returns the first INTEGER after genTime in TSTInfo (accuracy is a SEQUENCE and
// ordering a BOOLEAN, so the first top-level INTEGER after them is the nonce).
func findNonce(tst []byte) *big.Int {
	var seq asn1.RawValue
	if _, err := asn1.Unmarshal(tst, &seq); err != nil {
		return nil
	}
	b := seq.Bytes
	afterTime := false
	for len(b) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			return nil
		}
		if v.Class == asn1.ClassUniversal && v.Tag == asn1.TagGeneralizedTime {
			afterTime = true
		} else if afterTime && v.Class == asn1.ClassUniversal && v.Tag == asn1.TagInteger {
			var n *big.Int
			if _, err := asn1.Unmarshal(v.FullBytes, &n); err == nil {
				return n
			}
			return nil
		}
		b = rest
	}
	return nil
}

// checkTimeStamp checks that a response answers the bag's request: granted, same imprint and
// nonce.
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

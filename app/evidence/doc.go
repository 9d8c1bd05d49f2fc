// Package evidence turns a case into an evidence bundle that a lawyer, the police or a court can
// check without Raidtrace, and checks such bundles.
//
// # The bundle
//
// [Export] writes a BagIt bag (RFC 8493) into a new folder. Its payload (data/) holds the
// original files byte for byte, the attachments whose bytes they hold (data/attachments/<sha256>
// with an extension from the MIME type: MMS parts of SMS Backup & Restore backups, alone or in a
// ZIP of exports, read again from the stored original; the others are listed as metadata only),
// every message as CSV and JSONL with one exhibit id each, the clusters, an identifiers annex of
// senders, the analysis parameters, result and method, the timeline data, the custody log, an
// RSMF export, and the report in French and English (PDF and self-contained HTML). Both
// manifests (SHA-256 and SHA-512) can be checked with `sha256sum -c` and `sha512sum -c` from the
// bag root. The tag manifest is signed with an OpenSSH SSHSIG
// signature (namespace "raidtrace-bundle", checkable with `ssh-keygen -Y verify`) and an
// RFC 3161 time-stamp request over it is always included; [Stamp] sends it to a time-stamp
// authority on request and stores the reply.
//
// What the report calls the bundle's root hash is the SHA-256 of data/evidence-sha256.txt, the
// list (sha256sum format) of every payload file except the reports themselves: the report cannot
// contain the hash of a manifest that covers it.
//
// The custody log copied into the bag (data/custody.jsonl) holds every entry up to the export;
// the "export" entry that records the bag (its name, tag manifest SHA-256 and root hash) is
// appended to the case after the bag is complete, so it appears in the next bundle's log, not in
// its own.
//
// # Checking
//
// [Verify] checks a bag the way restic's checker checks a repository: every file is addressed by
// its hash and every problem names its object ([Problem]): missing, extra or changed files,
// Payload-Oxum, the signature, the time-stamp request, the custody chain and BagIt syntax.
// Manifests and tag manifests must be byte for byte in the one form [Export] writes (sorted
// "<hex>  <path>" lines), the signature file exactly its armoring, and a time-stamp response
// must answer the request and carry a CMS signature that verifies with its own certificate:
// a byte added or removed anywhere, even where a parser would forgive it, is named. A bag
// without a valid signature fails ([VerifyWith] with AllowUnsigned accepts it, saying so), and
// [VerifyOptions].Signers pins the keys a signature must come from.
//
// # The pseudonymised variant
//
// With [Options.Redact] senders become keyed pseudonyms ([Pseudonym]) in every file, the
// analysis result included; texts are masked ([MaskText]); record hashes become keyed hashes
// ([RecordHashRedacted]); the originals and the attachments (pictures identify people) are left
// out. The custody log keeps its hashes but
// masks source names, paths, the case name and notes; Verify checks those entries' order and
// links, not their content.
//
// The export's clock is [Options.Now]: the same case, key and clock give the same bag byte for
// byte.
//
// # What this package must not do
//
// It imports no GUI code (no Fyne). It opens no network connection except in [Stamp], which only
// runs on the user's explicit request. It never modifies a case except by appending custody
// entries, and never writes a bundle under its final name before it is complete.
package evidence

// Package casefile stores one harassment case in one SQLite file (NAME.raidcase): the case
// settings, the imported originals byte for byte, the messages decoded from them, the analysis
// runs with their cluster memberships, the reviewers' decisions and an append-only, hash-chained
// custody log.
//
// # Guarantees
//
//   - An import is one transaction: the original's bytes, its messages and its custody entry are
//     all committed or none is. A killed process, a full disk or a cancelled context leaves the
//     case as it was before the import.
//   - The SHA-256 of every original is computed from its bytes before they are parsed, and the
//     bytes are kept inside the case, so [Case.Original] gives back exactly what was imported.
//   - The custody log and the decisions are append-only; database triggers refuse UPDATE and
//     DELETE on them, and every custody entry carries the hash of the previous one
//     ([VerifyChain]).
//   - Only one process writes a case: a second [Open] gets [ErrLocked].
//   - The case file is created readable and writable by its owner only (0600).
//
// # Reading a big case
//
// [Case.Messages] loads every message at once, which is fine for exports and tests. A list view
// should use [Case.CountMessages] with [Case.MessagesAfter] (or [Case.MessagesPage] for random
// access), and a long pass over the case [Case.EachMessage], which streams. [Case.Check] verifies the whole file (SQLite integrity, the
// custody chain, every original's size and SHA-256).
//
// # Custody log outside the case
//
// The evidence bundle keeps the log as JSON lines: [WriteCustodyJSONL] writes them,
// [ReadCustodyJSONL] reads them back exactly and [VerifyChain] checks them with [EntryHash].
//
// # What it must not do
//
// casefile imports no GUI code (no Fyne), opens no network connection and never modifies, moves or
// deletes the files it imports: it only reads them. Parsing belongs to importers, clustering to
// analysis and bundles to app/evidence.
//
// All methods are synchronous and take a context first; callers add concurrency. A [Case] is safe
// for use from several goroutines: writes go through one connection, reads through a small
// read-only pool that sees the last committed state.
package casefile

-- 0001: the case file's first schema. Times are Unix milliseconds UTC; JSON columns hold the
-- encoding/json form of the Go values named in app/casefile/api.go.

CREATE TABLE meta (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    case_id   TEXT    NOT NULL,
    name      TEXT    NOT NULL DEFAULT '',
    time_zone TEXT    NOT NULL,
    region    TEXT    NOT NULL,
    unit_cost REAL    NOT NULL DEFAULT 0,
    currency  TEXT    NOT NULL DEFAULT '',
    created   INTEGER NOT NULL,
    examiner  TEXT    NOT NULL DEFAULT '',
    org       TEXT    NOT NULL DEFAULT '',
    contact   TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    sha256      TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    format      TEXT    NOT NULL,
    imported_at INTEGER NOT NULL,
    records     INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    problems    TEXT    NOT NULL DEFAULT '[]',
    complete    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_sha256 ON sources (sha256);

-- The original bytes of each source, in order, so that the case file is self-contained.
CREATE TABLE source_chunks (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    seq       INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    UNIQUE (source_id, seq)
);

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    source_id     INTEGER NOT NULL REFERENCES sources (id),
    location      TEXT    NOT NULL,
    platform      TEXT    NOT NULL,
    platform_id   TEXT    NOT NULL DEFAULT '',
    conversation  TEXT    NOT NULL DEFAULT '',
    time          INTEGER,            -- NULL when the source gives no time
    raw_time      TEXT    NOT NULL DEFAULT '',
    time_zone     TEXT    NOT NULL DEFAULT '',
    sender_key    TEXT    NOT NULL,
    sender_raw    TEXT    NOT NULL DEFAULT '',
    sender_e164   TEXT    NOT NULL DEFAULT '',
    sender_handle TEXT    NOT NULL DEFAULT '',
    sender_name   TEXT    NOT NULL DEFAULT '',
    sender_id     TEXT    NOT NULL DEFAULT '',
    recipients    TEXT,               -- JSON []importers.Party
    direction     TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL,
    attachments   TEXT,               -- JSON []importers.Attachment
    kind          TEXT    NOT NULL DEFAULT '',
    extra         TEXT,               -- JSON map[string]string
    hash          BLOB    NOT NULL UNIQUE -- importers.Record.Hash, 32 raw bytes (half the index of hex)
);
CREATE INDEX messages_order ON messages (time IS NULL, time, id);
CREATE INDEX messages_sender ON messages (sender_key);
CREATE INDEX messages_source ON messages (source_id);

CREATE TABLE analysis_runs (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    params      TEXT    NOT NULL,     -- JSON analysis.Params
    result      TEXT    NOT NULL,     -- JSON analysis.Result
    message_ids TEXT    NOT NULL      -- JSON []int64: analysis input index -> messages.id
);

CREATE TABLE cluster_members (
    run        INTEGER NOT NULL REFERENCES analysis_runs (id),
    cluster_id INTEGER NOT NULL,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    PRIMARY KEY (run, message_id, cluster_id)
) WITHOUT ROWID;
CREATE INDEX cluster_members_cluster ON cluster_members (run, cluster_id);

CREATE TABLE decisions (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES messages (id),
    cluster_id INTEGER NOT NULL DEFAULT 0,
    subject    TEXT    NOT NULL,
    verdict    TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT '',
    who        TEXT    NOT NULL DEFAULT '',
    at         INTEGER NOT NULL,
    supersedes INTEGER REFERENCES decisions (id) -- the earlier decision on the same subject
);
CREATE INDEX decisions_subject ON decisions (message_id, subject);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

CREATE TABLE custody (
    seq     INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    who     TEXT    NOT NULL,
    tool    TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    details TEXT,                     -- canonical JSON object, NULL when empty
    prev    TEXT    NOT NULL,
    hash    TEXT    NOT NULL
);
CREATE TRIGGER custody_no_update BEFORE UPDATE ON custody
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody
BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;

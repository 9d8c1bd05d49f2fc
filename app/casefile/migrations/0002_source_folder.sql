-- 0002: a source may be a folder (an unzipped X archive), stored as a deterministic tar.
ALTER TABLE sources ADD COLUMN folder INTEGER NOT NULL DEFAULT 0;

-- The secret of this database's public ids: the public site shows incidents, their updates and
-- maintenance windows under ids permuted with it (package publicid), so that the numbers,
-- shared with internal records, never reach the public. Made once; changing it changes every
-- public address. One row.
CREATE TABLE public_id_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key BLOB    NOT NULL CHECK (length(key) = 32)
);
INSERT INTO public_id_key (id, key) VALUES (1, randomblob(32));

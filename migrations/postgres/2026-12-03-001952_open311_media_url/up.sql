-- Open311 media_url: the address of a photo the submitting system hosts, kept as text (never
-- fetched); shown in requests only once the commune published its answer.
ALTER TABLE open311_requests ADD COLUMN media_url TEXT;

ALTER TABLE open311_requests DROP COLUMN media_url;

-- A commune's democracy revision: bumped in the same transaction as any change to what its
-- disclosure and activity lists show (the rows, their villages and relays, items, photos, unit
-- names). Reads compare it with the revision a cached list page was built from (read_cache.rs),
-- so a cached page is never served after a change has committed, whichever process made it.
ALTER TABLE communes ADD COLUMN democracy_revision BIGINT NOT NULL DEFAULT 0;

-- Deferred to commit, as the plan revision: the commune row is locked only at the end of the
-- transaction, after every row the transaction touches (no deadlock between two writers).
-- Several changes of one transaction bump it several times; only "changed" matters.
CREATE FUNCTION democracy_revision_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    rec RECORD;
    communes_hit BIGINT[];
BEGIN
    FOR rec IN SELECT * FROM (VALUES (CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END),
                                     (CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END)) v(r)
               WHERE r IS NOT NULL LOOP
        IF TG_TABLE_NAME IN ('disclosure_villages', 'disclosure_relays') THEN
            communes_hit := communes_hit || (SELECT commune_id FROM disclosures WHERE id = (rec.r->>'disclosure_id')::BIGINT);
        ELSIF TG_TABLE_NAME = 'activity_units' THEN
            communes_hit := communes_hit || (SELECT commune_id FROM activities WHERE id = (rec.r->>'activity_id')::BIGINT);
        ELSIF TG_TABLE_NAME = 'disclosure_items' AND rec.r->>'commune_id' IS NULL THEN
            -- A shipped item: every commune shows it.
            UPDATE communes SET democracy_revision = democracy_revision + 1;
        ELSE
            communes_hit := communes_hit || (rec.r->>'commune_id')::BIGINT;
        END IF;
    END LOOP;
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = ANY(communes_hit);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER disclosures_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON disclosures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER activities_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON activities
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER democracy_files_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON democracy_files
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER units_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER disclosure_villages_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON disclosure_villages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER disclosure_relays_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON disclosure_relays
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER activity_units_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON activity_units
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();
CREATE CONSTRAINT TRIGGER disclosure_items_democracy_revision AFTER INSERT OR UPDATE OR DELETE ON disclosure_items
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION democracy_revision_bump();

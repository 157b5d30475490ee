-- Twin of the PostgreSQL migration: a commune's democracy revision, bumped in the same
-- transaction as any change to what its disclosure and activity lists show (see read_cache.rs).
-- SQLite has one writer at a time, so plain AFTER triggers do.
ALTER TABLE communes ADD COLUMN democracy_revision BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER disclosures_democracy_revision_insert AFTER INSERT ON disclosures BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = NEW.commune_id;
END;
CREATE TRIGGER disclosures_democracy_revision_update AFTER UPDATE ON disclosures BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN (OLD.commune_id, NEW.commune_id);
END;
CREATE TRIGGER disclosures_democracy_revision_delete AFTER DELETE ON disclosures BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = OLD.commune_id;
END;
CREATE TRIGGER activities_democracy_revision_insert AFTER INSERT ON activities BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = NEW.commune_id;
END;
CREATE TRIGGER activities_democracy_revision_update AFTER UPDATE ON activities BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN (OLD.commune_id, NEW.commune_id);
END;
CREATE TRIGGER activities_democracy_revision_delete AFTER DELETE ON activities BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = OLD.commune_id;
END;
CREATE TRIGGER democracy_files_democracy_revision_insert AFTER INSERT ON democracy_files BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = NEW.commune_id;
END;
CREATE TRIGGER democracy_files_democracy_revision_update AFTER UPDATE ON democracy_files BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN (OLD.commune_id, NEW.commune_id);
END;
CREATE TRIGGER democracy_files_democracy_revision_delete AFTER DELETE ON democracy_files BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = OLD.commune_id;
END;
CREATE TRIGGER units_democracy_revision_insert AFTER INSERT ON units BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = NEW.commune_id;
END;
CREATE TRIGGER units_democracy_revision_update AFTER UPDATE ON units BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN (OLD.commune_id, NEW.commune_id);
END;
CREATE TRIGGER units_democracy_revision_delete AFTER DELETE ON units BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = OLD.commune_id;
END;
CREATE TRIGGER disclosure_villages_democracy_revision_insert AFTER INSERT ON disclosure_villages BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = (SELECT commune_id FROM disclosures WHERE id = NEW.disclosure_id);
END;
CREATE TRIGGER disclosure_villages_democracy_revision_update AFTER UPDATE ON disclosure_villages BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN ((SELECT commune_id FROM disclosures WHERE id = OLD.disclosure_id), (SELECT commune_id FROM disclosures WHERE id = NEW.disclosure_id));
END;
CREATE TRIGGER disclosure_villages_democracy_revision_delete AFTER DELETE ON disclosure_villages BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = (SELECT commune_id FROM disclosures WHERE id = OLD.disclosure_id);
END;
CREATE TRIGGER disclosure_relays_democracy_revision_insert AFTER INSERT ON disclosure_relays BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = (SELECT commune_id FROM disclosures WHERE id = NEW.disclosure_id);
END;
CREATE TRIGGER disclosure_relays_democracy_revision_update AFTER UPDATE ON disclosure_relays BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN ((SELECT commune_id FROM disclosures WHERE id = OLD.disclosure_id), (SELECT commune_id FROM disclosures WHERE id = NEW.disclosure_id));
END;
CREATE TRIGGER disclosure_relays_democracy_revision_delete AFTER DELETE ON disclosure_relays BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = (SELECT commune_id FROM disclosures WHERE id = OLD.disclosure_id);
END;
CREATE TRIGGER activity_units_democracy_revision_insert AFTER INSERT ON activity_units BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = (SELECT commune_id FROM activities WHERE id = NEW.activity_id);
END;
CREATE TRIGGER activity_units_democracy_revision_update AFTER UPDATE ON activity_units BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id IN ((SELECT commune_id FROM activities WHERE id = OLD.activity_id), (SELECT commune_id FROM activities WHERE id = NEW.activity_id));
END;
CREATE TRIGGER activity_units_democracy_revision_delete AFTER DELETE ON activity_units BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE id = (SELECT commune_id FROM activities WHERE id = OLD.activity_id);
END;
CREATE TRIGGER disclosure_items_democracy_revision_insert AFTER INSERT ON disclosure_items BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE NEW.commune_id IS NULL OR id = NEW.commune_id;
END;
CREATE TRIGGER disclosure_items_democracy_revision_update AFTER UPDATE ON disclosure_items BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE OLD.commune_id IS NULL OR id = OLD.commune_id OR NEW.commune_id IS NULL OR id = NEW.commune_id;
END;
CREATE TRIGGER disclosure_items_democracy_revision_delete AFTER DELETE ON disclosure_items BEGIN
    UPDATE communes SET democracy_revision = democracy_revision + 1 WHERE OLD.commune_id IS NULL OR id = OLD.commune_id;
END;

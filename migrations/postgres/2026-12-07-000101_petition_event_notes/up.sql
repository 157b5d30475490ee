-- A petition's history keeps the new handler's name and the body a petition went to as data, not
-- as a Vietnamese sentence (the page says "Giao cho" / "Assigned to" in the reader's language).
UPDATE petition_events SET note = substr(note, 7) WHERE action = 'assign' AND note LIKE 'Giao: %';
UPDATE petition_events SET note = substr(note, 13) WHERE action = 'forward' AND note LIKE 'Chuyển đến: %';

DROP TABLE democracy_settings;
DROP TABLE democracy_files;
DROP TABLE disclosure_relays;
DROP TABLE disclosure_villages;
DROP TABLE disclosures;
DROP TABLE disclosure_items;

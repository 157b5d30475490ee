//! Import of province one-stop exports (CSV, XLSX) and the register export.

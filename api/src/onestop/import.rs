//! Import of dossiers exported by the province's one-stop system (CSV, XLSX).

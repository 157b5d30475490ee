//! Roll-ups of the dossiers for the one-stop indicators and the 766 index (`docs/rollups.md`):
//! per (commune, day | month | year, procedure, status), maintained in the transaction of every
//! dossier change, read by `stats` instead of scanning the dossiers.

pub mod hist;
pub mod model;
pub mod repo;
pub mod service;

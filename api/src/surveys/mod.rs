//! Satisfaction surveys (docs/surveys.md): versioned forms (three shipped), campaigns, answers
//! from four channels — a dossier's QR (one answer per dossier, linked to the dossier's
//! procedure, unit, timeliness and officer), an open link or kiosk, paper forms (one by one
//! or as tallies) and village capture — and results with a minimum sample, the figures of the
//! year-end evaluation and the 766 index's row 5.4.

pub mod model;
pub mod repo;
pub mod results;
pub mod routes;
pub mod service;

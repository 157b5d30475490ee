//! One-stop statistics: the indicators of a period, the 766 index as the national portal scores
//! it, and the online levels of the catalogue with the year's targets.

pub mod index766;
pub mod indicators;
pub mod levels;
pub mod repo;
pub mod routes;

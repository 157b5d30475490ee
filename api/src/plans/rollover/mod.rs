//! The next year's plan: one action copies a plan's areas, steps and tasks (units, weights)
//! into a draft plan for a later year, dates shifted by the years and moved off the
//! commune's days off; progress and reports stay behind, the old plan is closed. Unfinished
//! tasks the board picks are carried over, linked to the task they continue.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

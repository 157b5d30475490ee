//! Coordination meetings of the UBND with the Fatherland Front and the unions (giao ban,
//! section II.5): who attended by unit, the agenda, the minutes, and the decisions, each tracked
//! to closure like a dialogue's commitment and convertible into a task of the current plan.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

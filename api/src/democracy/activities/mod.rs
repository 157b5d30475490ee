//! Awareness sessions (tuyên truyền) and other activities of the plan (section II.1): what was
//! done, where, through which channel, whom it reached, with evidence photos, and the plan task
//! it fulfils.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

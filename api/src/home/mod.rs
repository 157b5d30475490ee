//! The home page of each role ("what needs me today"): a few cards, each a figure or two read
//! from the modules through their public functions, a tone, and the link to the filtered list
//! behind it. Nothing is stored here; `repo.rs` holds the few counts no module offered.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

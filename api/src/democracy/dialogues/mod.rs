//! Dialogues between the commune's leaders and citizens (đối thoại), and the commitments made
//! there, tracked to closure like tasks and convertible into a task of the current plan.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

//! The year-end evaluation of the model (step 5 of the plan) and the official report:
//! criteria sets as data, versioned per year; drafts computed live from the other modules;
//! publication freezing a snapshot; re-evaluations as new versions; the report as DOCX in the
//! Nghị định 30/2020/NĐ-CP layout, its XLSX annexes and a print view (`docs/evaluation.md`).

pub mod annexes;
pub mod compute;
pub mod criteria;
pub mod model;
pub mod ooxml;
pub mod repo;
pub mod report;
pub mod routes;
pub mod service;

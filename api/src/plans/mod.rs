//! Plans and tasks: the written plan — legal bases, purposes, content areas with
//! tasks, the step timeline, units with duties — as tracked work with progress reports,
//! evidence files, comments, roll-up progress, import and export.

pub mod export;
pub mod import;
pub mod model;
pub mod repo;
pub mod rollover;
pub mod routes;
pub mod rules;
pub mod service;
pub mod storage;

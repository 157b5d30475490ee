//! The procedure catalogue (danh mục thủ tục hành chính) of a commune.

pub mod repo;
pub mod routes;
pub mod service;

//! Black-box API tests over HTTP. Every test runs twice: on SQLite and on PostgreSQL
//! (when `TEST_DATABASE_URL` is set), each time against a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod audit;
mod auth;
mod backup;
mod calendar;
mod errors;
mod hardening;
mod indicators;
mod lookup_guard;
mod matrix;
mod mfa;
mod onestop;
mod onestop_import;
mod openapi;
mod org;
mod plans;
mod surveys;

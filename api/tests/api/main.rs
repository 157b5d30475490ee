//! Black-box API tests over HTTP. Every test runs twice: on SQLite and on PostgreSQL
//! (when `TEST_DATABASE_URL` is set), each time against a fresh database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod audit;
mod auth;
mod backup;
mod calendar;
mod coordination;
mod democracy;
mod errors;
mod evaluation;
mod hardening;
mod home;
mod idempotency;
mod indicators;
mod integration;
mod living;
mod lookup_guard;
mod matrix;
mod mfa;
mod national_export;
mod notifications;
mod onestop;
mod onestop_import;
mod open311;
mod openapi;
mod org;
mod petitions;
mod plans;
mod rollover;
mod rollups;
mod surveys;
mod webhooks;

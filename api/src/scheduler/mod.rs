//! The background scheduler inside the server, safe with several instances: each job's due
//! slot is claimed through a database lease (`scheduler_leases`, taken by a conditional
//! INSERT/UPDATE), runs once per slot (`scheduler_runs`), and a slot that fell due while no
//! instance ran is run once at the next start (catch-up). `GET /api/v1/system/scheduler`
//! shows the last and next runs and the failures.

pub mod model;
pub mod repo;
pub mod routes;
pub mod service;

//! Rows the demo generator writes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{dossier_counters, dossier_events};

/// A dossier row as inserted: every column, `id` assigned by the generator.
pub type DossierInsert = crate::onestop::model::DossierRow;

/// An event row as inserted (`id`, `dossier_id` assigned at insertion).
#[derive(Debug, Clone, PartialEq, Insertable, Queryable, Selectable)]
#[diesel(table_name = dossier_events, treat_none_as_default_value = false)]
pub struct EventInsert {
    pub id: i64,
    pub dossier_id: i64,
    pub action: String,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub note: Option<String>,
    pub new_due_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dossier_counters)]
pub struct CounterInsert {
    pub unit_id: i64,
    pub day: NaiveDate,
    pub last_value: i32,
}

/// A generated dossier and its events, oldest first (the first is `receive`).
#[derive(Debug, Clone, PartialEq)]
pub struct GenDossier {
    pub row: DossierInsert,
    pub events: Vec<EventInsert>,
}

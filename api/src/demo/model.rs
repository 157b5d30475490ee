//! Rows the demo generator writes.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::dossier_counters;

/// A dossier row as inserted: every column, `id` assigned by the generator.
pub type DossierInsert = crate::onestop::model::DossierRow;

/// An event row as inserted: every column, `id` and `dossier_id` assigned at insertion.
pub type EventInsert = crate::onestop::model::EventRow;

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

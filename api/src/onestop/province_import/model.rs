//! Rows the province import writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{dossier_events, dossiers};
use crate::onestop::model::DossierValues;

/// Who the synthesized events name.
pub const IMPORT_USER_NAME: &str = "Nhập từ hệ thống một cửa tỉnh";

#[derive(Debug, Insertable)]
#[diesel(table_name = dossiers, treat_none_as_default_value = false)]
/// An imported dossier to insert.
pub struct NewImported {
    pub commune_id: i64,
    pub unit_id: i64,
    pub code: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub source: &'static str,
    #[diesel(embed)]
    pub values: DossierValues,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = dossier_events, treat_none_as_default_value = false)]
/// An event of an imported dossier, synthesized from its dates and status.
pub struct ImportEvent {
    pub dossier_id: i64,
    pub action: &'static str,
    pub from_status: Option<i32>,
    pub to_status: i32,
    pub at: NaiveDateTime,
    pub user_id: Option<i64>,
    pub user_name: &'static str,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub note: Option<String>,
    pub new_due_at: Option<NaiveDateTime>,
}

//! Rows the province import writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{dossier_events, dossiers};
use crate::onestop::model::DossierRow;

/// Who the synthesized events name.
pub const IMPORT_USER_NAME: &str = "Nhập từ hệ thống một cửa tỉnh";

/// The columns an import sets (and compares, to tell `updated` from `unchanged`).
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset)]
#[diesel(table_name = dossiers, treat_none_as_default_value = false, treat_none_as_null = true)]
pub struct Values {
    pub procedure_id: i64,
    pub channel: i32,
    pub status: i32,
    pub applicant_name: String,
    pub applicant_search: String,
    pub applicant_phone: String,
    pub phone_digits: String,
    pub applicant_id_number: String,
    pub applicant_address: String,
    pub received_at: NaiveDateTime,
    pub appointed_at: NaiveDateTime,
    pub deadline_at: NaiveDateTime,
    pub due_at: NaiveDateTime,
    pub paused_since: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub returned_at: Option<NaiveDateTime>,
    pub supplement_requests: i32,
    pub extended: bool,
    pub timeliness: Option<String>,
    pub paid_online: bool,
    pub digitised: bool,
    pub electronic_result: bool,
    pub processing_minutes: Option<i32>,
    pub from_data_store: bool,
    pub apology_by: Option<NaiveDateTime>,
}

impl Values {
    pub fn of(d: &DossierRow) -> Values {
        Values {
            procedure_id: d.procedure_id,
            channel: d.channel,
            status: d.status,
            applicant_name: d.applicant_name.clone(),
            applicant_search: d.applicant_search.clone(),
            applicant_phone: d.applicant_phone.clone(),
            phone_digits: d.phone_digits.clone(),
            applicant_id_number: d.applicant_id_number.clone(),
            applicant_address: d.applicant_address.clone(),
            received_at: d.received_at,
            appointed_at: d.appointed_at,
            deadline_at: d.deadline_at,
            due_at: d.due_at,
            paused_since: d.paused_since,
            finished_at: d.finished_at,
            returned_at: d.returned_at,
            supplement_requests: d.supplement_requests,
            extended: d.extended,
            timeliness: d.timeliness.clone(),
            paid_online: d.paid_online,
            digitised: d.digitised,
            electronic_result: d.electronic_result,
            processing_minutes: d.processing_minutes,
            from_data_store: d.from_data_store,
            apology_by: d.apology_by,
        }
    }
}

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
    pub values: Values,
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

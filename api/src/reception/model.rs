//! Reception types.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{reception_sessions, reception_visits};

/// A stored reception session: its id and what was recorded ([`NewSession`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reception_sessions)]
pub struct SessionRow {
    pub id: i64,
    #[diesel(embed)]
    pub values: NewSession,
}

crate::row_derefs_to!(SessionRow, values: NewSession);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = reception_sessions, treat_none_as_null = true)]
pub struct NewSession {
    pub commune_id: i64,
    pub kind: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: Option<NaiveDateTime>,
    pub place: String,
    pub leader_name: String,
    pub leader_title: String,
    pub delegated: bool,
    pub status: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A stored visit: its id and what was recorded ([`NewVisit`]).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reception_visits)]
pub struct VisitRow {
    pub id: i64,
    #[diesel(embed)]
    pub values: NewVisit,
}

crate::row_derefs_to!(VisitRow, values: NewVisit);

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reception_visits)]
pub struct NewVisit {
    pub session_id: i64,
    pub commune_id: i64,
    pub at: NaiveDateTime,
    pub receiver_name: String,
    pub citizen_names: String,
    pub group_size: i32,
    pub content: String,
    pub classification: String,
    pub handling: String,
    pub forwarded_to: Option<String>,
    pub petition_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// Body of `POST /reception/sessions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSession {
    /// regular (the chairman's weekly session) or adhoc.
    pub kind: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub place: String,
    pub leader_name: String,
    pub leader_title: String,
    /// Led by a deputy on the chairman's behalf (not allowed from 01/07/2026).
    #[serde(default)]
    pub delegated: bool,
    /// planned (default), held or cancelled.
    pub status: Option<String>,
    pub note: Option<String>,
}

/// Body of `PATCH /reception/sessions/{id}`: fields left out stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSession {
    /// Corrects the kind: regular or adhoc (a delegated regular session from 01/07/2026 is
    /// refused as on create: `not_delegable`).
    pub kind: Option<String>,
    pub status: Option<String>,
    pub leader_name: Option<String>,
    pub leader_title: Option<String>,
    pub delegated: Option<bool>,
    pub place: Option<String>,
    pub note: Option<String>,
    /// Corrects the start. A session with visits in its register keeps its day (only the
    /// hours move): `session_has_visits`.
    pub starts_at: Option<DateTime<FixedOffset>>,
    /// Corrects the end; `null` clears it.
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<DateTime<FixedOffset>>)]
    pub ends_at: Option<Option<DateTime<FixedOffset>>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionSession {
    pub id: i64,
    pub kind: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub place: String,
    pub leader_name: String,
    pub leader_title: String,
    pub delegated: bool,
    pub status: String,
    pub note: Option<String>,
    pub visits: i64,
}

/// A session on the public schedule (no notes).
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSession {
    pub kind: String,
    pub starts_at: DateTime<FixedOffset>,
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub place: String,
    pub leader_name: String,
    pub leader_title: String,
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicSchedule {
    pub commune_name: String,
    pub legal_basis: String,
    pub sessions: Vec<PublicSession>,
}

/// Body of `POST /reception/sessions/{id}/visits`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVisit {
    pub at: Option<DateTime<FixedOffset>>,
    pub receiver_name: String,
    /// The citizen, or the representatives of a group.
    pub citizen_names: String,
    /// How many people came (a group counts its people).
    #[serde(default = "one")]
    pub group_size: i32,
    pub content: String,
    /// recommendation, feedback, complaint, denunciation, other.
    pub classification: String,
    /// answered, guided, petition_opened, forwarded.
    pub handling: String,
    pub forwarded_to: Option<String>,
    /// With `handling = petition_opened`: the petition to open (its content defaults to the
    /// visit's); a denunciation needs `identity`.
    pub petition: Option<VisitPetition>,
}

fn one() -> i32 {
    1
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitPetition {
    pub subject: String,
    pub phone: Option<String>,
    pub identity: Option<crate::petitions::model::Identity>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Visit {
    pub id: i64,
    pub session_id: i64,
    pub at: DateTime<FixedOffset>,
    pub receiver_name: String,
    pub citizen_names: String,
    pub group_size: i32,
    pub content: String,
    pub classification: String,
    pub handling: String,
    pub forwarded_to: Option<String>,
    pub petition_id: Option<i64>,
    pub petition_code: Option<String>,
}

/// `?from&to` (local dates).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One week of the compliance strip.
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplianceWeek {
    /// Monday of the week.
    pub week_start: NaiveDate,
    /// A regular session was held that week.
    pub held: bool,
    pub leader_name: Option<String>,
    pub delegated: bool,
    /// Delegated on or after 01/07/2026, when the law no longer allows it.
    pub unlawful_delegation: bool,
    pub adhoc_sessions: i64,
    pub visits: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Compliance {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: Vec<ComplianceWeek>,
    /// The weeks that have passed, and one under way or to come once its session is held (a
    /// week not over yet is not a week missed).
    pub weeks_required: i64,
    pub weeks_held: i64,
}

/// Body of `PUT /reception/visits/{id}`: every field of the register, corrected. A visit that
/// opened a petition keeps its classification and handling (the petition stays linked).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateVisit {
    pub at: DateTime<FixedOffset>,
    pub receiver_name: String,
    pub citizen_names: String,
    #[serde(default = "one")]
    pub group_size: i32,
    pub content: String,
    /// recommendation, feedback, complaint, denunciation, other.
    pub classification: String,
    /// answered, guided, forwarded (petition_opened only for the visit that opened one).
    pub handling: String,
    pub forwarded_to: Option<String>,
}

/// What the register of visits says about a visit's session.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitSession {
    pub id: i64,
    pub kind: String,
    pub starts_at: DateTime<FixedOffset>,
    pub place: String,
    pub leader_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitRegisterRow {
    /// Its number in the register of the period, from 1.
    pub number: i64,
    pub visit: Visit,
    pub session: VisitSession,
}

/// `GET /reception/visits`: the register of visits (sổ tiếp công dân) across sessions.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitRegister {
    pub header: crate::onestop::model::FormHeader,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub rows: Vec<VisitRegisterRow>,
}

/// `?from&to&classification&q` of the register of visits (local dates; `q` ignores diacritics
/// and case: citizen, receiver, content, where it was forwarded).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub classification: Option<String>,
    pub q: Option<String>,
}

/// The corrected fields of a visit, checked, as written.
#[derive(Debug, Clone)]
pub struct VisitFields {
    pub at: NaiveDateTime,
    pub receiver_name: String,
    pub citizen_names: String,
    pub group_size: i32,
    pub content: String,
    pub classification: String,
    pub handling: String,
    pub forwarded_to: Option<String>,
}

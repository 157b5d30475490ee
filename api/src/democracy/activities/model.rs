//! Activity types.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::activities;
use crate::democracy::disclosures::model::DemocracyFile;

crate::text_enum! {
    /// What kind of activity.
    pub enum ActivityKind {
        /// An awareness session (tuyên truyền, phổ biến).
        Awareness = "awareness",
        /// Another activity of the plan.
        Other = "other",
    }
}

crate::text_enum! {
    /// How it reached people.
    pub enum ActivityChannel {
        /// A meeting (hội nghị, họp thôn).
        Meeting = "meeting",
        Loudspeaker = "loudspeaker",
        Leaflets = "leaflets",
        Zalo = "zalo",
        /// Visits to households.
        Visits = "visits",
        Other = "other",
    }
}

/// A stored activity: what is set once, and the values a create or an edit writes
/// ([`ActivityValues`]).
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    pub id: i64,
    pub commune_id: i64,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub values: ActivityValues,
}

crate::row_derefs_to!(ActivityRow, values: ActivityValues);

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = activities)]
#[diesel(treat_none_as_null = true)]
pub struct ActivityValues {
    pub kind: String,
    pub content_area_id: Option<i64>,
    pub held_on: NaiveDate,
    pub place: String,
    pub channel: String,
    pub participants: i32,
    pub groups_reached: String,
    pub title: String,
    pub title_search: String,
    pub summary: String,
    pub task_id: Option<i64>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = activities)]
pub struct NewActivity {
    pub commune_id: i64,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub values: ActivityValues,
}

/// An activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Activity {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
    /// The plan content area it belongs to.
    pub content_area_id: Option<i64>,
    pub content_area_title: Option<String>,
    pub held_on: NaiveDate,
    pub place: String,
    pub channel: ActivityChannel,
    /// People reached.
    pub participants: i32,
    /// Groups reached (e.g. "hội viên phụ nữ, đoàn viên thanh niên").
    pub groups_reached: String,
    pub summary: String,
    /// The units that ran it and the villages it reached.
    pub unit_ids: Vec<i64>,
    /// The villages among `unit_ids`.
    pub village_ids: Vec<i64>,
    /// The plan task it fulfils (the task's page lists it back).
    pub task_id: Option<i64>,
    /// That task's title.
    pub task_title: Option<String>,
    pub photos: Vec<DemocracyFile>,
}

/// An activity to record, or its new content (`PUT` replaces it all but the photos).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub title: String,
    pub content_area_id: Option<i64>,
    pub held_on: NaiveDate,
    pub place: String,
    pub channel: ActivityChannel,
    pub participants: i32,
    pub groups_reached: Option<String>,
    pub summary: Option<String>,
    /// Units that ran it and villages it reached (at least one).
    pub unit_ids: Vec<i64>,
    /// The plan task it fulfils; its content area is taken when none is given.
    pub task_id: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilter {
    /// Words of the title (diacritics ignored).
    pub q: Option<String>,
    pub kind: Option<ActivityKind>,
    pub channel: Option<ActivityChannel>,
    pub content_area_id: Option<i64>,
    /// Activities of a unit or reaching a village.
    pub unit_id: Option<i64>,
    pub task_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Multipart form of `POST /activities/{id}/photos`.
#[allow(dead_code)]
#[derive(ToSchema)]
pub struct ActivityPhotosForm {
    /// JPEG, PNG, WebP or PDF, up to 10.
    #[schema(value_type = Vec<String>, format = Binary)]
    pub files: Vec<Vec<u8>>,
}

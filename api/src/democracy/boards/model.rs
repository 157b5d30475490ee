//! Board types: supervisions, recommendations and the commune's responses.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{board_recommendations, board_supervisions};
use crate::democracy::disclosures::model::DemocracyFile;

crate::text_enum! {
    /// The commune's response to a recommendation.
    pub enum ResponseStatus {
        /// Not answered yet.
        Pending = "pending",
        /// Accepted, being acted on.
        Accepted = "accepted",
        /// Acted on, closed.
        Resolved = "resolved",
        /// Not accepted, with the reasons in the answer.
        Declined = "declined",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = board_supervisions)]
pub struct SupervisionRow {
    pub id: i64,
    pub commune_id: i64,
    pub board_unit_id: i64,
    pub held_on: NaiveDate,
    pub subject: String,
    pub findings: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = board_supervisions)]
pub struct NewSupervision {
    pub commune_id: i64,
    pub board_unit_id: i64,
    pub held_on: NaiveDate,
    pub subject: String,
    pub findings: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = board_recommendations)]
pub struct RecommendationRow {
    pub id: i64,
    pub commune_id: i64,
    pub supervision_id: i64,
    pub text: String,
    pub addressed_unit_id: Option<i64>,
    pub status: String,
    pub answer: String,
    pub answered_on: Option<NaiveDate>,
    pub answered_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = board_recommendations)]
pub struct NewRecommendation {
    pub commune_id: i64,
    pub supervision_id: i64,
    pub text: String,
    pub addressed_unit_id: Option<i64>,
    pub status: String,
    pub answer: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A community board (a unit of the commune) and its counts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    pub unit_id: i64,
    pub name: String,
    /// `inspection_board` or `investment_supervision_board`.
    pub kind: String,
    pub supervisions: i64,
    pub recommendations: i64,
    /// Recommendations not answered yet.
    pub pending: i64,
}

/// A recommendation and the commune's response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recommendation {
    pub id: i64,
    pub supervision_id: i64,
    pub board_unit_id: i64,
    pub text: String,
    /// The unit it is addressed to (none: the commune as a whole).
    pub addressed_unit_id: Option<i64>,
    pub addressed_unit_name: Option<String>,
    pub status: ResponseStatus,
    pub answer: String,
    pub answered_on: Option<NaiveDate>,
}

/// A supervision activity with its recommendations.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Supervision {
    pub id: i64,
    pub board_unit_id: i64,
    pub board_name: String,
    pub held_on: NaiveDate,
    pub subject: String,
    pub findings: String,
    pub recommendations: Vec<Recommendation>,
    /// Minutes, photos.
    pub files: Vec<DemocracyFile>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateRecommendation {
    pub text: String,
    pub addressed_unit_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSupervision {
    /// The board (a unit of kind `inspection_board` or `investment_supervision_board`).
    pub board_unit_id: i64,
    pub held_on: NaiveDate,
    /// What was supervised (a project, the execution of a decision, the handling of petitions…).
    pub subject: String,
    pub findings: Option<String>,
    #[serde(default)]
    pub recommendations: Vec<CreateRecommendation>,
}

/// A supervision's own record as `PUT /supervisions/{id}` replaces it (its recommendations,
/// their responses and its files stay).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupervisionInput {
    pub board_unit_id: i64,
    pub held_on: NaiveDate,
    pub subject: String,
    pub findings: Option<String>,
}

#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = board_supervisions)]
pub struct SupervisionChanges {
    pub board_unit_id: i64,
    pub held_on: NaiveDate,
    pub subject: String,
    pub findings: String,
    pub updated_at: NaiveDateTime,
}

/// The commune's response to a recommendation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondRecommendation {
    pub status: ResponseStatus,
    /// Required unless `pending`.
    pub answer: Option<String>,
    /// Default today.
    pub answered_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SupervisionFilter {
    pub board_unit_id: Option<i64>,
    #[param(minimum = 1900, maximum = 2100)]
    pub year: Option<i32>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecommendationFilter {
    pub status: Option<ResponseStatus>,
    pub board_unit_id: Option<i64>,
    pub addressed_unit_id: Option<i64>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

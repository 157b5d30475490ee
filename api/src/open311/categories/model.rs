//! Feedback categories as the admin manages them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new category row.
#[derive(Debug, Clone, diesel::Insertable)]
#[diesel(table_name = crate::db::schema::feedback_categories)]
pub struct NewCategory {
    pub commune_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub grouping: String,
    pub keywords: String,
    pub position: i32,
    pub active: bool,
}

/// A category as the admin sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeedbackCategory {
    pub id: i64,
    /// The Open311 `service_code`: lowercase letters, digits and hyphens.
    pub code: String,
    pub name: String,
    pub description: String,
    /// `feedback` or `recommendation`: the petition kind a request of this category becomes.
    pub kind: String,
    pub grouping: String,
    /// Comma-separated.
    pub keywords: String,
    pub position: i32,
    pub active: bool,
    /// A request used this code: it can no longer change.
    pub used: bool,
    /// One of the defaults every commune offers until its first change.
    pub inherited: bool,
}

/// Body of `POST /feedback-categories`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCategory {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// `feedback` or `recommendation`.
    pub kind: String,
    #[serde(default)]
    pub grouping: String,
    #[serde(default)]
    pub keywords: String,
    /// Where it is listed (default: last).
    pub position: Option<i32>,
}

/// Body of `PATCH /feedback-categories/{id}`: the fields to change; `active: false`
/// deactivates (the category leaves `services.json`; its requests stay).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCategory {
    pub code: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub kind: Option<String>,
    pub grouping: Option<String>,
    pub keywords: Option<String>,
    pub position: Option<i32>,
    pub active: Option<bool>,
}

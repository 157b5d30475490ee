//! The cards of a home page.

use serde::Serialize;
use utoipa::ToSchema;

use crate::org::model::Role;

crate::text_enum! {
    /// How a card reads at a glance.
    pub enum HomeTone {
        /// Nothing waits.
        Ok = "ok",
        /// Something is due soon.
        Warn = "warn",
        /// Something is late.
        Bad = "bad",
        /// A figure without a judgement (progress, a rate without a target).
        Neutral = "neutral",
    }
}

crate::text_enum! {
    /// What a figure counts.
    pub enum HomeFigureUnit {
        /// A number of things (tasks, dossiers, petitions).
        Count = "count",
        /// A share, 0–100.
        Percent = "percent",
    }
}

/// One figure of a card.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeFigure {
    /// Stable key; the web's label is `home.figure.{key}`.
    pub key: String,
    /// `null` when it cannot be measured yet (no dossier in the period, no answer).
    pub value: Option<f64>,
    pub unit: HomeFigureUnit,
    /// The list behind this figure when it differs from the card's.
    pub href: Option<String>,
}

/// One card of a home page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeCard {
    /// Stable key (`tasks_due`, `desk`, `commune`, …).
    pub key: String,
    /// The web's message key for the title (`home.card.{key}`).
    pub title: String,
    /// A name the title carries (a plan's title, a commune's name), when there is one.
    pub label: Option<String>,
    pub figures: Vec<HomeFigure>,
    pub tone: HomeTone,
    /// The web page listing what the card counts, filtered the same way.
    pub href: String,
}

/// `GET /home`: the signed-in user's cards, the most pressing first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Home {
    pub role: Role,
    /// The commune's local date the figures are of.
    pub today: chrono::NaiveDate,
    pub cards: Vec<HomeCard>,
}

impl HomeCard {
    pub fn new(key: &str, tone: HomeTone, href: impl Into<String>, figures: Vec<HomeFigure>) -> HomeCard {
        HomeCard {
            key: key.to_string(),
            title: format!("home.card.{key}"),
            label: None,
            figures,
            tone,
            href: href.into(),
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> HomeCard {
        self.label = Some(label.into());
        self
    }
}

impl HomeFigure {
    pub fn count(key: &str, n: i64) -> HomeFigure {
        HomeFigure { key: key.to_string(), value: Some(n as f64), unit: HomeFigureUnit::Count, href: None }
    }

    pub fn percent(key: &str, v: Option<f64>) -> HomeFigure {
        HomeFigure {
            key: key.to_string(),
            value: v.map(|x| (x * 10.0).round() / 10.0),
            unit: HomeFigureUnit::Percent,
            href: None,
        }
    }

    pub fn link(mut self, href: impl Into<String>) -> HomeFigure {
        self.href = Some(href.into());
        self
    }
}

/// Bad when something is late, warn when something is due, ok otherwise.
pub fn tone_of(late: i64, due: i64) -> HomeTone {
    if late > 0 {
        HomeTone::Bad
    } else if due > 0 {
        HomeTone::Warn
    } else {
        HomeTone::Ok
    }
}

// ---- the citizen pages: which commune, and one procedure ----

/// A commune as the citizen pages name it (the picker of a multi-commune installation).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCommune {
    pub id: i64,
    /// The short code of its address (`/x/{code}/thu-tuc`): its code, or its id as text.
    pub code: String,
    /// "Xã Bình Lương".
    pub name: String,
    /// The province it belongs to.
    pub authority_name: String,
    /// "UBND xã Bình Lương".
    pub people_committee: String,
    /// Its one-stop centre ("Bộ phận Một cửa").
    pub onestop_name: String,
}

/// `GET /public/communes`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCommunes {
    pub items: Vec<PublicCommune>,
}

/// One procedure as a citizen reads it before coming to the desk.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicProcedureDetail {
    pub commune: PublicCommune,
    pub code: String,
    pub name: String,
    pub field: String,
    pub limit_amount: i32,
    pub limit_unit: crate::onestop::model::LimitUnit,
    pub fee_vnd: Option<i64>,
    pub fee_note: Option<String>,
    pub online_level: crate::onestop::model::OnlineLevel,
    pub online_payment: bool,
    pub result_kind: crate::onestop::model::ResultKind,
    /// Papers to bring (empty: not entered yet; the desk says).
    pub documents: Vec<String>,
    /// Steps, in order (empty: not entered yet).
    pub steps: Vec<String>,
    /// Where to submit: the commune's desk, and the place the commune added.
    pub where_to_submit: String,
    /// The procedure on the national public service portal, for procedures that can be done
    /// online (in part or in full).
    pub portal_url: Option<String>,
}

/// `PUT /procedures/{id}/details`: what the citizen page shows beyond the catalogue row.
#[derive(Debug, Clone, serde::Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcedureDetailsInput {
    pub documents: Vec<String>,
    pub steps: Vec<String>,
    pub place: Option<String>,
}

/// A stored `procedure_details` row.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable, diesel::Insertable, diesel::AsChangeset)]
#[diesel(table_name = crate::db::schema::procedure_details, treat_none_as_null = true)]
pub struct ProcedureDetailsRow {
    pub procedure_id: i64,
    pub documents: String,
    pub steps: String,
    pub place: Option<String>,
    pub updated_at: chrono::NaiveDateTime,
}

/// `?commune_id=` of the public procedure page (optional on a one-commune installation).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PublicProcedureDetailQuery {
    pub commune_id: Option<i64>,
}

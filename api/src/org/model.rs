//! Organisation types: authorities, communes (the tenant), units and users.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{authorities, communes, units, users};

crate::text_enum! {
    /// A user's one role.
    pub enum Role {
        /// Commune administrator: users, units, settings, calendar.
        Admin = "admin",
        /// Ban điều hành — the steering board.
        Board = "board",
        /// UBND xã staff at the one-stop desk.
        Ubnd = "ubnd",
        /// Mặt trận Tổ quốc and unions.
        Front = "front",
        /// Trưởng thôn — a village head.
        Village = "village",
        /// District or province: reads aggregates of the communes it oversees.
        Oversight = "oversight",
    }
}

crate::text_enum! {
    /// Kinds of unit, from the glossary.
    pub enum UnitKind {
        Board = "board",
        PeopleCommittee = "people_committee",
        Front = "front",
        Union = "union",
        Village = "village",
        InspectionBoard = "inspection_board",
        InvestmentSupervisionBoard = "investment_supervision_board",
        School = "school",
        HealthStation = "health_station",
        Other = "other",
    }
}

/// Level of an oversight authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthorityLevel {
    Province,
    /// Districts were abolished on 2025-07-01; kept for history.
    District,
    /// The whole country: its staff administer the national working calendar.
    National,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = authorities)]
pub struct AuthorityRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: String,
    pub code: Option<String>,
    pub dissolved_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = authorities)]
pub struct NewAuthority<'a> {
    pub parent_id: Option<i64>,
    pub name: &'a str,
    pub level: &'a str,
    pub code: Option<&'a str>,
    pub dissolved_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// A province or (historic) district.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Authority {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub level: AuthorityLevel,
    pub dissolved_on: Option<NaiveDate>,
}

impl From<AuthorityRow> for Authority {
    fn from(r: AuthorityRow) -> Self {
        Authority {
            id: r.id,
            parent_id: r.parent_id,
            name: r.name,
            level: match r.level.as_str() {
                "district" => AuthorityLevel::District,
                "national" => AuthorityLevel::National,
                _ => AuthorityLevel::Province,
            },
            dissolved_on: r.dissolved_on,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = communes)]
pub struct CommuneRow {
    pub id: i64,
    pub authority_id: i64,
    pub name: String,
    pub code: Option<String>,
    pub timezone: String,
    pub created_at: NaiveDateTime,
    /// `xa`, `phuong` or `dac_khu`.
    pub kind: String,
    pub onestop_unit_name: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = communes)]
pub struct NewCommune<'a> {
    pub authority_id: i64,
    pub name: &'a str,
    pub code: Option<&'a str>,
    pub timezone: &'a str,
    pub created_at: NaiveDateTime,
}

/// A commune (xã), the tenant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Commune {
    pub id: i64,
    pub name: String,
    pub code: Option<String>,
    pub authority_id: i64,
    pub authority_name: String,
    pub timezone: String,
    /// `xa`, `phuong` or `dac_khu`: printed forms say "UBND XÃ / PHƯỜNG / ĐẶC KHU …".
    pub kind: CommuneKind,
    /// The commune's own name for its one-stop unit, printed under the issuing body; `null`:
    /// the name the law in force gives (Trung tâm Phục vụ hành chính công since 01/07/2025).
    pub onestop_unit_name: Option<String>,
}

crate::text_enum! {
    /// The kind of a commune-level unit (after the 2025 reorganisation: xã, phường, đặc khu).
    pub enum CommuneKind {
        Xa = "xa",
        Phuong = "phuong",
        DacKhu = "dac_khu",
    }
}

/// Body of `PATCH /communes/{id}`: what printed forms say of the commune.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCommune {
    pub kind: Option<CommuneKind>,
    /// `null` returns to the name the law in force gives.
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<String>)]
    pub onestop_unit_name: Option<Option<String>>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct UnitRow {
    pub id: i64,
    pub commune_id: i64,
    pub name: String,
    pub name_search: String,
    pub kind: String,
    pub code: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = units)]
pub struct NewUnit<'a> {
    pub commune_id: i64,
    pub name: &'a str,
    pub name_search: String,
    pub kind: &'a str,
    pub code: Option<&'a str>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl<'a> NewUnit<'a> {
    /// An active unit of commune `commune_id` made at `now`, searchable by its name.
    pub fn new(commune_id: i64, name: &'a str, kind: UnitKind, code: Option<&'a str>, now: NaiveDateTime) -> Self {
        NewUnit {
            commune_id,
            name,
            name_search: crate::db::fold_search(name),
            kind: kind.as_str(),
            code,
            active: true,
            created_at: now,
            updated_at: now,
        }
    }
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = units)]
pub struct UnitChanges {
    pub name: Option<String>,
    pub name_search: Option<String>,
    pub kind: Option<String>,
    pub code: Option<Option<String>>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A unit of the commune: the board, the People's Committee, the Front, a union, a village…
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unit {
    pub id: i64,
    pub commune_id: i64,
    pub name: String,
    pub kind: UnitKind,
    pub code: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<UnitRow> for Unit {
    fn from(r: UnitRow) -> Self {
        Unit {
            id: r.id,
            commune_id: r.commune_id,
            name: r.name,
            kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Other),
            code: r.code,
            active: r.active,
            created_at: r.created_at.and_utc(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub full_name_search: String,
    pub phone: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub commune_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub last_login_at: Option<NaiveDateTime>,
    pub password_changed_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub full_name_search: String,
    pub phone: Option<&'a str>,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub commune_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub authority_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub password_changed_at: NaiveDateTime,
}

impl<'a> NewUser<'a> {
    /// An active account made at `now` (searchable by its name), with no phone and in no
    /// commune, unit or authority: a caller sets those it has.
    pub fn new(username: &'a str, full_name: &'a str, password_hash: &'a str, role: Role, now: NaiveDateTime) -> Self {
        NewUser {
            username,
            full_name,
            full_name_search: crate::db::fold_search(full_name),
            phone: None,
            password_hash,
            role: role.as_str(),
            commune_id: None,
            unit_id: None,
            authority_id: None,
            active: true,
            created_at: now,
            updated_at: now,
            password_changed_at: now,
        }
    }
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub full_name_search: Option<String>,
    pub phone: Option<Option<String>>,
    pub role: Option<String>,
    pub unit_id: Option<Option<i64>>,
    pub active: Option<bool>,
    pub updated_at: Option<NaiveDateTime>,
}

/// A user account as staff see it (never the password hash).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub commune_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub authority_id: Option<i64>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub last_login_at: Option<DateTime<Utc>>,
}

impl User {
    pub fn from_row(r: UserRow, unit_name: Option<String>) -> Self {
        User {
            id: r.id,
            username: r.username,
            full_name: r.full_name,
            phone: r.phone,
            role: Role::parse(&r.role).unwrap_or(Role::Village),
            commune_id: r.commune_id,
            unit_id: r.unit_id,
            unit_name,
            authority_id: r.authority_id,
            active: r.active,
            created_at: r.created_at.and_utc(),
            last_login_at: r.last_login_at.map(|t| t.and_utc()),
        }
    }
}

/// Body of `POST /units`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    pub name: String,
    pub kind: UnitKind,
    pub code: Option<String>,
}

/// Body of `PATCH /units/{id}`; absent fields stay as they are, `code: null` clears the code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnit {
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<String>)]
    pub code: Option<Option<String>>,
    pub active: Option<bool>,
}

/// Body of `POST /users`. The commune is the admin's own; it cannot be chosen.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    pub username: String,
    pub full_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub unit_id: i64,
    pub password: String,
}

/// Body of `PATCH /users/{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    pub full_name: Option<String>,
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    pub role: Option<Role>,
    /// Every account belongs to a unit: `null` is refused (`required`), not read as "no change".
    #[serde(default, with = "crate::http::double_option")]
    #[schema(value_type = Option<i64>)]
    pub unit_id: Option<Option<i64>>,
    pub active: Option<bool>,
}

/// Body of `POST /users/{id}/password` (an admin sets a new password).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    pub new_password: String,
}

/// Filters for `GET /units`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitFilter {
    /// Diacritic-insensitive search in the name.
    pub q: Option<String>,
    pub kind: Option<UnitKind>,
    pub active: Option<bool>,
    /// 1-based page number.
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Filters for `GET /users`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserFilter {
    /// Diacritic-insensitive search in full name, username and unit name; three or more digits
    /// also find the phone number however it was written (`0912 345` finds `0912.345.678`).
    pub q: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
    pub active: Option<bool>,
    #[param(minimum = 1)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

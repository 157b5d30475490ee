//! All SQL of the organisation module.

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use super::model::*;
use crate::db::schema::{authorities, communes, units, users};
use crate::db::{DbConnection, search_pattern};
use crate::http::Paging;

pub fn get_user_row(conn: &mut DbConnection, id: i64) -> QueryResult<UserRow> {
    users::table.find(id).select(UserRow::as_select()).first(conn)
}

/// A commune with its authority.
pub fn commune_with_authority(conn: &mut DbConnection, id: i64) -> QueryResult<Commune> {
    let (c, a): (CommuneRow, AuthorityRow) = communes::table
        .inner_join(authorities::table)
        .filter(communes::id.eq(id))
        .select((CommuneRow::as_select(), AuthorityRow::as_select()))
        .first(conn)?;
    Ok(commune_of(c, a))
}

fn commune_of(c: CommuneRow, a: AuthorityRow) -> Commune {
    Commune {
        id: c.id,
        name: c.name,
        code: c.code,
        authority_id: a.id,
        authority_name: a.name,
        timezone: c.timezone,
        kind: CommuneKind::parse(&c.kind).unwrap_or(CommuneKind::Xa),
        onestop_unit_name: c.onestop_unit_name,
    }
}

/// A user with where they belong.
pub struct UserContext {
    pub user: User,
    pub unit: Option<Unit>,
    pub commune: Option<Commune>,
    pub authority: Option<Authority>,
}

/// A user row with its unit's name.
pub type UserWithUnit = (UserRow, Option<String>);

/// A user with their unit, commune and authority, for `/auth/me`.
pub fn user_context(conn: &mut DbConnection, id: i64) -> QueryResult<UserContext> {
    let row = get_user_row(conn, id)?;
    let unit: Option<UnitRow> = match row.unit_id {
        Some(u) => Some(units::table.find(u).select(UnitRow::as_select()).first(conn)?),
        None => None,
    };
    let commune = match row.commune_id {
        Some(c) => Some(commune_with_authority(conn, c)?),
        None => None,
    };
    let authority = match row.authority_id {
        Some(a) => Some(authorities::table.find(a).select(AuthorityRow::as_select()).first(conn)?.into()),
        None => None,
    };
    let unit_name = unit.as_ref().map(|u| u.name.clone());
    Ok(UserContext { user: User::from_row(row, unit_name), unit: unit.map(Unit::from), commune, authority })
}

/// Communes visible to a caller: their own, or for oversight every commune under their
/// authority (directly or under a district below it).
pub fn visible_communes(
    conn: &mut DbConnection,
    commune_id: Option<i64>,
    authority_id: Option<i64>,
) -> QueryResult<Vec<Commune>> {
    let ids: Vec<i64> = match (commune_id, authority_id) {
        (Some(c), _) => vec![c],
        (None, Some(a)) => {
            let children: Vec<i64> =
                authorities::table.filter(authorities::parent_id.eq(a)).select(authorities::id).load(conn)?;
            let mut scope = vec![a];
            scope.extend(children);
            communes::table
                .filter(communes::authority_id.eq_any(scope))
                .order(communes::name)
                .select(communes::id)
                .load(conn)?
        }
        (None, None) => Vec::new(),
    };
    // One query for all of them (an oversight user may see a hundred communes).
    let rows: Vec<(CommuneRow, AuthorityRow)> = communes::table
        .inner_join(authorities::table)
        .filter(communes::id.eq_any(ids))
        .order(communes::name)
        .select((CommuneRow::as_select(), AuthorityRow::as_select()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(c, a)| commune_of(c, a)).collect())
}

pub fn list_units(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &UnitFilter,
    paging: Paging,
) -> QueryResult<(Vec<UnitRow>, i64)> {
    let pattern = search_pattern(f.q.as_deref());
    let filtered = || {
        let mut q = units::table.filter(units::commune_id.eq(commune_id)).into_boxed();
        if let Some(p) = &pattern {
            q = q.filter(units::name_search.like(p.clone()).escape('\\'));
        }
        if let Some(k) = f.kind {
            q = q.filter(units::kind.eq(k.as_str()));
        }
        if let Some(a) = f.active {
            q = q.filter(units::active.eq(a));
        }
        q
    };
    Ok(crate::page_of!(conn, paging, filtered(), order = (units::kind, units::name), select = UnitRow::as_select()))
}

/// A unit of this commune; another commune's unit is `NotFound`.
pub fn get_unit(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<UnitRow> {
    units::table
        .filter(units::id.eq(id))
        .filter(units::commune_id.eq(commune_id))
        .select(UnitRow::as_select())
        .first(conn)
}

pub fn unit_name_taken(
    conn: &mut DbConnection,
    commune_id: i64,
    name_search: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let mut q =
        units::table.filter(units::commune_id.eq(commune_id)).filter(units::name_search.eq(name_search)).into_boxed();
    if let Some(id) = except {
        q = q.filter(units::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

pub fn unit_code_taken(conn: &mut DbConnection, commune_id: i64, code: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut q = units::table.filter(units::commune_id.eq(commune_id)).filter(units::code.eq(code)).into_boxed();
    if let Some(id) = except {
        q = q.filter(units::id.ne(id));
    }
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

pub fn insert_unit(conn: &mut DbConnection, new: &NewUnit<'_>) -> QueryResult<UnitRow> {
    diesel::insert_into(units::table).values(new).returning(units::all_columns).get_result(conn)
}

pub fn update_unit(conn: &mut DbConnection, id: i64, changes: &UnitChanges) -> QueryResult<UnitRow> {
    diesel::update(units::table.find(id)).set(changes).returning(units::all_columns).get_result(conn)
}

/// The active accounts of a unit: (username, role), by username.
pub fn active_members(conn: &mut DbConnection, unit_id: i64) -> QueryResult<Vec<(String, String)>> {
    users::table
        .filter(users::unit_id.eq(unit_id))
        .filter(users::active.eq(true))
        .order(users::username)
        .select((users::username, users::role))
        .load(conn)
}

pub fn list_users(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &UserFilter,
    paging: Paging,
) -> QueryResult<(Vec<UserWithUnit>, i64)> {
    let pattern = search_pattern(f.q.as_deref());
    let filtered = || {
        let mut q = users::table.left_join(units::table).filter(users::commune_id.eq(commune_id)).into_boxed();
        if let Some(p) = &pattern {
            let words = users::full_name_search
                .like(p.clone())
                .escape('\\')
                .or(users::username.like(p.clone()).escape('\\'))
                .nullable()
                .or(units::name_search.nullable().like(p.clone()).escape('\\'));
            q = match phone_digits(f.q.as_deref()) {
                Some(digits) => q.filter(words.or(bare_phone().like(format!("%{digits}%")))),
                None => q.filter(words),
            };
        }
        if let Some(r) = f.role {
            q = q.filter(users::role.eq(r.as_str()));
        }
        if let Some(u) = f.unit_id {
            q = q.filter(users::unit_id.eq(u));
        }
        if let Some(a) = f.active {
            q = q.filter(users::active.eq(a));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (users::full_name_search, users::id),
        select = (UserRow::as_select(), units::name.nullable())
    ))
}

diesel::define_sql_function! {
    /// SQL `replace(text, from, to)`, the same on both engines.
    fn replace(text: Nullable<Text>, from: Text, to: Text) -> Nullable<Text>;
}

/// `replace(text, from, to)` with the two strings bound.
type Replaced<E> = replace<E, &'static str, &'static str>;

/// A user's stored phone number without the spaces, dots and dashes people write in it.
fn bare_phone() -> Replaced<Replaced<Replaced<users::phone>>> {
    replace(replace(replace(users::phone, " ", ""), ".", ""), "-", "")
}

/// The digits of a search that reads as (part of) a phone number: at least three digits and
/// nothing but digits and the separators people type (`0912 345`, `0912.345`, `0912-345`).
fn phone_digits(q: Option<&str>) -> Option<String> {
    let q = q?.trim();
    let digits: String = q.chars().filter(char::is_ascii_digit).collect();
    let phone_like = q.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'));
    (phone_like && digits.len() >= 3).then_some(digits)
}

/// A user of this commune with their unit's name; others are `NotFound`.
pub fn get_user(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<UserWithUnit> {
    users::table
        .left_join(units::table)
        .filter(users::id.eq(id))
        .filter(users::commune_id.eq(commune_id))
        .select((UserRow::as_select(), units::name.nullable()))
        .first(conn)
}

pub fn username_taken(conn: &mut DbConnection, username: &str) -> QueryResult<bool> {
    Ok(users::table.filter(users::username.eq(username)).count().get_result::<i64>(conn)? > 0)
}

pub fn insert_user(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<UserRow> {
    diesel::insert_into(users::table).values(new).returning(users::all_columns).get_result(conn)
}

pub fn update_user(conn: &mut DbConnection, id: i64, changes: &UserChanges) -> QueryResult<UserRow> {
    // Role, unit, commune or active may change what a live session is allowed.
    crate::auth::session_cache::changed();
    diesel::update(users::table.find(id)).set(changes).returning(users::all_columns).get_result(conn)
}

/// Active admins of a commune other than `except` (so the last admin cannot lock everyone out).
pub fn other_active_admins(conn: &mut DbConnection, commune_id: i64, except: i64) -> QueryResult<i64> {
    users::table
        .filter(users::commune_id.eq(commune_id))
        .filter(users::role.eq("admin"))
        .filter(users::active.eq(true))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
}

/// The id of the first commune with this name, if any.
pub fn commune_id_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<i64>> {
    communes::table.filter(communes::name.eq(name)).order(communes::id).select(communes::id).first(conn).optional()
}

/// Sets what printed forms say of a commune.
pub fn update_commune_identity(
    conn: &mut DbConnection,
    id: i64,
    kind: &str,
    onestop_unit_name: Option<&str>,
) -> QueryResult<()> {
    diesel::update(communes::table.find(id))
        .set((communes::kind.eq(kind), communes::onestop_unit_name.eq(onestop_unit_name)))
        .execute(conn)
        .map(|_| ())
}

/// What a printed form says of its commune.
#[derive(Debug, Clone)]
pub struct CommuneIdentity {
    pub name: String,
    /// `xa`, `phuong` or `dac_khu`.
    pub kind: String,
    /// The commune's own name for its one-stop unit; `None`: the name the law in force gives.
    pub onestop_unit_name: Option<String>,
}

pub fn commune_identity(conn: &mut DbConnection, id: i64) -> QueryResult<CommuneIdentity> {
    let (name, kind, onestop_unit_name) = communes::table
        .find(id)
        .select((communes::name, communes::kind, communes::onestop_unit_name))
        .first::<(String, String, Option<String>)>(conn)?;
    Ok(CommuneIdentity { name, kind, onestop_unit_name })
}

/// A commune's democracy revision: triggers bump it with any change to what its disclosure and
/// activity lists show (migration `001001_democracy_revision`, `read_cache`). `NotFound` for no
/// such commune.
pub fn democracy_revision(conn: &mut DbConnection, id: i64) -> QueryResult<i64> {
    communes::table.find(id).select(communes::democracy_revision).first(conn)
}

/// A commune's name.
pub fn commune_name(conn: &mut DbConnection, id: i64) -> QueryResult<String> {
    communes::table.find(id).select(communes::name).first(conn)
}

/// The first `n` communes by id, as (id, name): the citizen pages need to know whether the
/// installation serves one commune or several.
pub fn first_communes(conn: &mut DbConnection, n: i64) -> QueryResult<Vec<(i64, String)>> {
    communes::table.order(communes::id).limit(n).select((communes::id, communes::name)).load(conn)
}

pub fn count_communes(conn: &mut DbConnection) -> QueryResult<i64> {
    communes::table.count().get_result(conn)
}

pub fn find_authority(conn: &mut DbConnection, name: &str, level: &str) -> QueryResult<Option<AuthorityRow>> {
    authorities::table
        .filter(authorities::name.eq(name))
        .filter(authorities::level.eq(level))
        .select(AuthorityRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_authority(conn: &mut DbConnection, new: &NewAuthority<'_>) -> QueryResult<AuthorityRow> {
    diesel::insert_into(authorities::table).values(new).returning(authorities::all_columns).get_result(conn)
}

pub fn find_commune(conn: &mut DbConnection, authority_id: i64, name: &str) -> QueryResult<Option<CommuneRow>> {
    communes::table
        .filter(communes::authority_id.eq(authority_id))
        .filter(communes::name.eq(name))
        .select(CommuneRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_commune(conn: &mut DbConnection, new: &NewCommune<'_>) -> QueryResult<CommuneRow> {
    let id: i64 = diesel::insert_into(communes::table).values(new).returning(communes::id).get_result(conn)?;
    communes::table.find(id).select(CommuneRow::as_select()).first(conn)
}

/// The province a commune belongs to: its authority, or that authority's parent when the
/// commune still hangs under a (historic) district. `None` when neither is a province.
pub fn province_of_commune(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Option<i64>> {
    let a: AuthorityRow = communes::table
        .inner_join(authorities::table)
        .filter(communes::id.eq(commune_id))
        .select(AuthorityRow::as_select())
        .first(conn)?;
    if a.level == "province" {
        return Ok(Some(a.id));
    }
    match a.parent_id {
        Some(p) => {
            let parent: AuthorityRow = authorities::table.find(p).select(AuthorityRow::as_select()).first(conn)?;
            Ok((parent.level == "province").then_some(parent.id))
        }
        None => Ok(None),
    }
}

/// One authority (province or district).
pub fn get_authority(conn: &mut DbConnection, id: i64) -> QueryResult<AuthorityRow> {
    authorities::table.find(id).select(AuthorityRow::as_select()).first(conn)
}

/// A commune by the code citizens' links carry: its administrative code, or its number when
/// it has none. (id, name).
pub fn commune_by_public_code(conn: &mut DbConnection, code: &str) -> QueryResult<Option<(i64, String)>> {
    let by_code = communes::table
        .filter(communes::code.eq(code))
        .select((communes::id, communes::name))
        .first(conn)
        .optional()?;
    match (by_code, code.parse::<i64>()) {
        (Some(c), _) => Ok(Some(c)),
        (None, Ok(id)) => communes::table
            .filter(communes::id.eq(id))
            .filter(communes::code.is_null())
            .select((communes::id, communes::name))
            .first(conn)
            .optional(),
        (None, Err(_)) => Ok(None),
    }
}

/// The full names of these users (the names people read in a history), by id.
pub fn full_names(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    users::table.filter(users::id.eq_any(ids)).select((users::id, users::full_name)).load(conn)
}

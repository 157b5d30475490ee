//! Every query of the disclosures.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{
    democracy_files, democracy_settings, disclosure_items, disclosure_relays, disclosure_villages, disclosures,
};
use crate::db::{DbConnection, search_pattern};
use crate::http::Paging;
use crate::time::year_days;

// ---------------------------------------------------------------- items

/// The items a commune sees: the shipped ones and its own (the service drops a shipped item
/// its own copy replaces), by position.
pub fn items_for(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<DisclosureItemRow>> {
    disclosure_items::table
        .filter(disclosure_items::commune_id.eq(commune_id).or(disclosure_items::commune_id.is_null()))
        .order((disclosure_items::position, disclosure_items::code, disclosure_items::id))
        .select(DisclosureItemRow::as_select())
        .load(conn)
}

/// An item the commune may use (its own or a shipped one); any other is `NotFound`.
pub fn get_item(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<DisclosureItemRow> {
    disclosure_items::table
        .filter(disclosure_items::id.eq(id))
        .filter(disclosure_items::commune_id.eq(commune_id).or(disclosure_items::commune_id.is_null()))
        .select(DisclosureItemRow::as_select())
        .first(conn)
}

/// The commune's own item with this code, if any.
pub fn own_item_by_code(
    conn: &mut DbConnection,
    commune_id: i64,
    code: &str,
) -> QueryResult<Option<DisclosureItemRow>> {
    disclosure_items::table
        .filter(disclosure_items::commune_id.eq(commune_id))
        .filter(disclosure_items::code.eq(code))
        .select(DisclosureItemRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_item(
    conn: &mut DbConnection,
    commune_id: i64,
    v: &DisclosureItemValues,
    now: NaiveDateTime,
) -> QueryResult<DisclosureItemRow> {
    diesel::insert_into(disclosure_items::table)
        .values((v, disclosure_items::commune_id.eq(commune_id), disclosure_items::created_at.eq(now)))
        .returning(disclosure_items::all_columns)
        .get_result(conn)
}

pub fn update_item(conn: &mut DbConnection, id: i64, v: &DisclosureItemValues) -> QueryResult<DisclosureItemRow> {
    diesel::update(disclosure_items::table.find(id)).set(v).returning(disclosure_items::all_columns).get_result(conn)
}

/// Moves the commune's disclosures from a shipped item to the commune's copy of it.
pub fn move_disclosures_to_item(conn: &mut DbConnection, commune_id: i64, from: i64, to: i64) -> QueryResult<usize> {
    diesel::update(
        disclosures::table.filter(disclosures::commune_id.eq(commune_id)).filter(disclosures::item_id.eq(from)),
    )
    .set(disclosures::item_id.eq(to))
    .execute(conn)
}

// ---------------------------------------------------------------- disclosures

type Boxed<'a> = disclosures::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

fn filtered<'a>(commune_id: i64, f: &'a DisclosureFilter, today: NaiveDate, unrelayed_by: Option<i64>) -> Boxed<'a> {
    let mut q = disclosures::table.filter(disclosures::commune_id.eq(commune_id)).into_boxed();
    if let Some(p) = search_pattern(f.q.as_deref()) {
        q = q.filter(disclosures::title_search.like(p).escape('\\'));
    }
    if let Some(i) = f.item_id {
        q = q.filter(disclosures::item_id.eq(i));
    }
    if let Some(ch) = f.channel {
        // Channel names are not substrings of one another.
        q = q.filter(disclosures::channels.like(format!("%{}%", ch.as_str())));
    }
    match f.status {
        Some(DisclosureStatus::Upcoming) => q = q.filter(disclosures::posted_from.gt(today)),
        Some(DisclosureStatus::Current) => {
            q = q
                .filter(disclosures::posted_from.le(today))
                .filter(disclosures::posted_to.ge(today))
                .filter(disclosures::taken_down_on.is_null().or(disclosures::taken_down_on.ge(today)))
        }
        Some(DisclosureStatus::Ended) => {
            q = q.filter(disclosures::posted_to.lt(today).or(disclosures::taken_down_on.lt(today)))
        }
        None => {}
    }
    if let Some(y) = f.year {
        let (start, end) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31));
        if let (Some(start), Some(end)) = (start, end) {
            q = q.filter(disclosures::posted_from.le(end)).filter(disclosures::posted_to.ge(start));
        }
    }
    if let Some(v) = f.village_id {
        q = q.filter(
            disclosures::id.eq_any(
                disclosure_villages::table
                    .filter(disclosure_villages::unit_id.eq(v))
                    .select(disclosure_villages::disclosure_id),
            ),
        );
    }
    if let Some(v) = unrelayed_by {
        q = q.filter(diesel::dsl::not(disclosures::id.eq_any(
            disclosure_relays::table.filter(disclosure_relays::unit_id.eq(v)).select(disclosure_relays::disclosure_id),
        )));
    }
    q
}

/// A page of the commune's disclosures, newest posting first, with their item (code, name).
#[allow(clippy::type_complexity)]
pub fn list_disclosures(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &DisclosureFilter,
    today: NaiveDate,
    unrelayed_by: Option<i64>,
    paging: Paging,
) -> QueryResult<(Vec<DisclosureRow>, i64)> {
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(commune_id, f, today, unrelayed_by),
        order = (disclosures::posted_from.desc(), disclosures::id.desc()),
        select = DisclosureRow::as_select()
    ))
}

/// A disclosure of this commune; another commune's is `NotFound`.
pub fn get_disclosure(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<DisclosureRow> {
    disclosures::table
        .filter(disclosures::id.eq(id))
        .filter(disclosures::commune_id.eq(commune_id))
        .select(DisclosureRow::as_select())
        .first(conn)
}

/// Items by id (for a page of disclosures).
pub fn items_by_id(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<DisclosureItemRow>> {
    disclosure_items::table.filter(disclosure_items::id.eq_any(ids)).select(DisclosureItemRow::as_select()).load(conn)
}

pub fn insert_disclosure(
    conn: &mut DbConnection,
    commune_id: i64,
    v: &DisclosureValues,
    created_by: i64,
    now: NaiveDateTime,
) -> QueryResult<DisclosureRow> {
    crate::on_backend!(conn, c => diesel::insert_into(disclosures::table)
        .values((
            v,
            disclosures::commune_id.eq(commune_id),
            disclosures::created_by.eq(created_by),
            disclosures::created_at.eq(now),
        ))
        .returning(DisclosureRow::as_returning())
        .get_result(c))
}

pub fn update_disclosure(conn: &mut DbConnection, id: i64, v: &DisclosureValues) -> QueryResult<DisclosureRow> {
    crate::on_backend!(conn, c => diesel::update(disclosures::table.find(id)).set(v).returning(DisclosureRow::as_returning()).get_result(c))
}

/// Replaces the villages asked to relay a disclosure (relays of villages kept stay).
pub fn set_villages(conn: &mut DbConnection, disclosure_id: i64, unit_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(
        disclosure_villages::table
            .filter(disclosure_villages::disclosure_id.eq(disclosure_id))
            .filter(diesel::dsl::not(disclosure_villages::unit_id.eq_any(unit_ids))),
    )
    .execute(conn)?;
    let present: Vec<i64> = disclosure_villages::table
        .filter(disclosure_villages::disclosure_id.eq(disclosure_id))
        .select(disclosure_villages::unit_id)
        .load(conn)?;
    for u in unit_ids.iter().filter(|u| !present.contains(u)) {
        diesel::insert_into(disclosure_villages::table)
            .values((disclosure_villages::disclosure_id.eq(disclosure_id), disclosure_villages::unit_id.eq(*u)))
            .execute(conn)?;
    }
    Ok(())
}

/// (disclosure, village) pairs of some disclosures.
pub fn villages_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    disclosure_villages::table
        .filter(disclosure_villages::disclosure_id.eq_any(ids))
        .select((disclosure_villages::disclosure_id, disclosure_villages::unit_id))
        .load(conn)
}

/// Villages asked and relayed, per disclosure, for a page: (disclosure, asked, relayed).
pub fn village_counts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64, i64)>> {
    let asked: Vec<(i64, i64)> = disclosure_villages::table
        .filter(disclosure_villages::disclosure_id.eq_any(ids))
        .group_by(disclosure_villages::disclosure_id)
        .select((disclosure_villages::disclosure_id, count_star()))
        .load(conn)?;
    let relayed: Vec<(i64, i64)> = disclosure_relays::table
        .filter(disclosure_relays::disclosure_id.eq_any(ids))
        .group_by(disclosure_relays::disclosure_id)
        .select((disclosure_relays::disclosure_id, count_star()))
        .load(conn)?;
    Ok(asked
        .into_iter()
        .map(|(id, n)| (id, n, relayed.iter().find(|(r, _)| *r == id).map_or(0, |(_, m)| *m)))
        .collect())
}

pub fn relays_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<RelayRow>> {
    disclosure_relays::table
        .filter(disclosure_relays::disclosure_id.eq_any(ids))
        .order(disclosure_relays::id)
        .select(RelayRow::as_select())
        .load(conn)
}

pub fn relay_of_village(conn: &mut DbConnection, disclosure_id: i64, unit_id: i64) -> QueryResult<Option<RelayRow>> {
    disclosure_relays::table
        .filter(disclosure_relays::disclosure_id.eq(disclosure_id))
        .filter(disclosure_relays::unit_id.eq(unit_id))
        .select(RelayRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_relay(conn: &mut DbConnection, r: &NewRelay) -> QueryResult<RelayRow> {
    diesel::insert_into(disclosure_relays::table).values(r).returning(disclosure_relays::all_columns).get_result(conn)
}

/// Disclosures of the commune whose posting ends on or after `since` (alerts look no further).
pub fn ending_since(conn: &mut DbConnection, commune_id: i64, since: NaiveDate) -> QueryResult<Vec<DisclosureRow>> {
    disclosures::table
        .filter(disclosures::commune_id.eq(commune_id))
        .filter(disclosures::posted_to.ge(since))
        .order((disclosures::posted_from, disclosures::id))
        .select(DisclosureRow::as_select())
        .load(conn)
}

/// Disclosures of the commune whose posting began in [from, to] (the figures).
pub fn begun_between(
    conn: &mut DbConnection,
    commune_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<DisclosureRow>> {
    disclosures::table
        .filter(disclosures::commune_id.eq(commune_id))
        .filter(disclosures::posted_from.ge(from))
        .filter(disclosures::posted_from.le(to))
        .order((disclosures::posted_from, disclosures::id))
        .select(DisclosureRow::as_select())
        .load(conn)
}

/// (item, period) of the commune's disclosures that name a period.
pub fn periods_disclosed(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<(i64, String)>> {
    disclosures::table
        .filter(disclosures::commune_id.eq(commune_id))
        .filter(disclosures::period.is_not_null())
        .select((disclosures::item_id, disclosures::period.assume_not_null()))
        .distinct()
        .load(conn)
}

/// Disclosures citizens read: current ones, and past ones (of a year, or the latest 100).
pub fn public_disclosures(
    conn: &mut DbConnection,
    commune_id: i64,
    today: NaiveDate,
    year: Option<i32>,
) -> QueryResult<(Vec<DisclosureRow>, Vec<DisclosureRow>)> {
    let current = disclosures::table
        .filter(disclosures::commune_id.eq(commune_id))
        .filter(disclosures::posted_from.le(today))
        .filter(disclosures::posted_to.ge(today))
        .filter(disclosures::taken_down_on.is_null().or(disclosures::taken_down_on.ge(today)))
        .order((disclosures::posted_from.desc(), disclosures::id.desc()))
        .limit(200)
        .select(DisclosureRow::as_select())
        .load(conn)?;
    let mut past = disclosures::table
        .filter(disclosures::commune_id.eq(commune_id))
        .filter(disclosures::posted_to.lt(today).or(disclosures::taken_down_on.lt(today)))
        .into_boxed();
    if let Some((start, end)) = year.and_then(year_days) {
        past = past.filter(disclosures::posted_from.le(end)).filter(disclosures::posted_to.ge(start));
    }
    let past = past
        .order((disclosures::posted_from.desc(), disclosures::id.desc()))
        .limit(100)
        .select(DisclosureRow::as_select())
        .load(conn)?;
    Ok((current, past))
}

// ---------------------------------------------------------------- files

pub fn insert_file(conn: &mut DbConnection, f: &NewFile) -> QueryResult<FileRow> {
    diesel::insert_into(democracy_files::table).values(f).returning(democracy_files::all_columns).get_result(conn)
}

pub fn files_of(conn: &mut DbConnection, kind: FileOwner, owner_ids: &[i64]) -> QueryResult<Vec<FileRow>> {
    democracy_files::table
        .filter(democracy_files::owner_kind.eq(kind.as_str()))
        .filter(democracy_files::owner_id.eq_any(owner_ids))
        .order(democracy_files::id)
        .select(FileRow::as_select())
        .load(conn)
}

/// A file of this commune; another commune's is `NotFound`.
pub fn get_file(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<FileRow> {
    democracy_files::table
        .filter(democracy_files::id.eq(id))
        .filter(democracy_files::commune_id.eq(commune_id))
        .select(FileRow::as_select())
        .first(conn)
}

/// A disclosed document (public); evidence and relay photos are `NotFound` here.
pub fn get_public_document(conn: &mut DbConnection, id: i64) -> QueryResult<FileRow> {
    democracy_files::table
        .filter(democracy_files::id.eq(id))
        .filter(democracy_files::owner_kind.eq(FileOwner::DisclosureDocument.as_str()))
        .select(FileRow::as_select())
        .first(conn)
}

/// Rows pointing at a blob (a blob nobody points at may be removed).
pub fn blob_uses(conn: &mut DbConnection, sha256: &str) -> QueryResult<i64> {
    democracy_files::table.filter(democracy_files::sha256.eq(sha256)).count().get_result(conn)
}

// ---------------------------------------------------------------- settings

pub fn settings(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Option<(i32, i32)>> {
    democracy_settings::table
        .find(commune_id)
        .select((democracy_settings::relay_within_days, democracy_settings::periodic_grace_days))
        .first(conn)
        .optional()
}

pub fn save_settings(
    conn: &mut DbConnection,
    commune_id: i64,
    relay_within_days: i32,
    periodic_grace_days: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let n = diesel::update(democracy_settings::table.find(commune_id))
        .set((
            democracy_settings::relay_within_days.eq(relay_within_days),
            democracy_settings::periodic_grace_days.eq(periodic_grace_days),
            democracy_settings::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(democracy_settings::table)
            .values((
                democracy_settings::commune_id.eq(commune_id),
                democracy_settings::relay_within_days.eq(relay_within_days),
                democracy_settings::periodic_grace_days.eq(periodic_grace_days),
                democracy_settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

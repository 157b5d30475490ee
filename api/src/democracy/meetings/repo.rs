//! Every query of the coordination meetings and their decisions.

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{coordination_meetings as m, decision_reports, meeting_decisions as d, meeting_units};
use crate::db::{DbConnection, search_pattern};
use crate::democracy::common::model::ItemRow;
use crate::democracy::common::repo::item_tables;
use crate::http::Paging;
use crate::time::year_days;

item_tables!(DecisionTables: d.meeting_id at m, decision_reports.decision_id);

type Boxed<'a> = m::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// Meetings of the commune; a village sees those its unit attended.
fn meetings_of<'a>(commune_id: i64, village: Option<i64>, f: &'a MeetingFilter) -> Boxed<'a> {
    let mut q = m::table.filter(m::commune_id.eq(commune_id)).into_boxed();
    if let Some(v) = village {
        q = q.filter(
            m::id.eq_any(meeting_units::table.filter(meeting_units::unit_id.eq(v)).select(meeting_units::meeting_id)),
        );
    }
    if let Some(p) = search_pattern(f.q.as_deref()) {
        q = q.filter(m::agenda_search.like(p).escape('\\'));
    }
    if let Some((a, b)) = f.year.and_then(year_days) {
        q = q.filter(m::held_on.between(a, b));
    }
    q
}

pub fn list_meetings(
    conn: &mut DbConnection,
    commune_id: i64,
    village: Option<i64>,
    f: &MeetingFilter,
    paging: Paging,
) -> QueryResult<(Vec<MeetingRow>, i64)> {
    Ok(crate::page_of!(
        conn,
        paging,
        meetings_of(commune_id, village, f),
        order = (m::held_on.desc(), m::id.desc()),
        select = MeetingRow::as_select()
    ))
}

pub fn get_meeting(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<MeetingRow> {
    let f = MeetingFilter::default();
    meetings_of(commune_id, village, &f).filter(m::id.eq(id)).select(MeetingRow::as_select()).first(conn)
}

pub fn insert_meeting(conn: &mut DbConnection, row: &NewMeeting) -> QueryResult<MeetingRow> {
    diesel::insert_into(m::table).values(row).returning(m::all_columns).get_result(conn)
}

pub fn update_meeting(conn: &mut DbConnection, id: i64, c: &MeetingValues) -> QueryResult<MeetingRow> {
    diesel::update(m::table.find(id)).set(c).returning(m::all_columns).get_result(conn)
}

pub fn set_units(conn: &mut DbConnection, meeting_id: i64, units: &[(i64, i32)]) -> QueryResult<()> {
    diesel::delete(meeting_units::table.filter(meeting_units::meeting_id.eq(meeting_id))).execute(conn)?;
    for (u, n) in units {
        diesel::insert_into(meeting_units::table)
            .values((
                meeting_units::meeting_id.eq(meeting_id),
                meeting_units::unit_id.eq(*u),
                meeting_units::attendees.eq(*n),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// (meeting, unit, attendees) of some meetings.
pub fn units_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64, i32)>> {
    meeting_units::table
        .filter(meeting_units::meeting_id.eq_any(ids))
        .order((meeting_units::meeting_id, meeting_units::unit_id))
        .select((meeting_units::meeting_id, meeting_units::unit_id, meeting_units::attendees))
        .load(conn)
}

/// (meeting, status, count) of the decisions of some meetings.
pub fn decision_counts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, i64)>> {
    d::table
        .filter(d::meeting_id.eq_any(ids))
        .group_by((d::meeting_id, d::status))
        .select((d::meeting_id, d::status, count_star()))
        .load(conn)
}

pub fn decisions_of_meeting(conn: &mut DbConnection, meeting_id: i64) -> QueryResult<Vec<ItemRow>> {
    d::table.filter(d::meeting_id.eq(meeting_id)).order((d::due_on, d::id)).select(d::all_columns).load(conn)
}

/// Decisions still open from meetings held on or before `before`, other than meeting `except`.
pub fn open_before(
    conn: &mut DbConnection,
    commune_id: i64,
    before: NaiveDate,
    except: i64,
) -> QueryResult<Vec<ItemRow>> {
    d::table
        .filter(d::commune_id.eq(commune_id))
        .filter(d::status.eq_any(["open", "in_progress"]))
        .filter(d::meeting_id.ne(except))
        .filter(
            d::meeting_id
                .eq_any(m::table.filter(m::commune_id.eq(commune_id)).filter(m::held_on.le(before)).select(m::id)),
        )
        .order((d::due_on, d::id))
        .select(d::all_columns)
        .load(conn)
}

type DBoxed<'a> = d::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// Decisions in scope: a village sees those it owns and those of meetings it attended.
fn decisions_in_scope<'a>(commune_id: i64, village: Option<i64>) -> DBoxed<'a> {
    let mut q = d::table.filter(d::commune_id.eq(commune_id)).into_boxed();
    if let Some(v) = village {
        q = q.filter(
            d::owner_unit_id.eq(v).or(d::meeting_id
                .eq_any(meeting_units::table.filter(meeting_units::unit_id.eq(v)).select(meeting_units::meeting_id))),
        );
    }
    q
}

pub fn list_decisions(
    conn: &mut DbConnection,
    commune_id: i64,
    village: Option<i64>,
    f: &DecisionFilter,
    today: NaiveDate,
    paging: Paging,
) -> QueryResult<(Vec<ItemRow>, i64)> {
    let filtered = || {
        let mut q = decisions_in_scope(commune_id, village);
        if f.overdue == Some(true) {
            q = q.filter(d::status.eq_any(["open", "in_progress"])).filter(d::due_on.lt(today));
        }
        if let Some(s) = f.status {
            q = q.filter(d::status.eq(s.as_str()));
        }
        if let Some(u) = f.owner_unit_id {
            q = q.filter(d::owner_unit_id.eq(u));
        }
        if let Some(t) = f.task_id {
            q = q.filter(d::task_id.eq(t));
        }
        q
    };
    Ok(crate::page_of!(conn, paging, filtered(), order = (d::due_on, d::id), select = d::all_columns))
}

pub fn get_decision(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<ItemRow> {
    decisions_in_scope(commune_id, village).filter(d::id.eq(id)).select(d::all_columns).first(conn)
}

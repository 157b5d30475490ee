//! Every query of the dialogues and commitments.

use chrono::NaiveDate;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::model::*;
use crate::db::schema::{commitment_reports, commitments, dialogue_villages, dialogues};
use crate::db::{DbConnection, search_pattern};
use crate::democracy::common::model::ItemRow;
use crate::democracy::common::repo::item_tables;
use crate::http::Paging;
use crate::time::year_days;

item_tables!(CommitmentTables: commitments.dialogue_id at dialogues, commitment_reports.commitment_id);

type Boxed<'a> = dialogues::BoxedQuery<'a, <DbConnection as diesel::Connection>::Backend>;

/// Dialogues of the commune; a village sees those its village took part in.
fn dialogues_of<'a>(commune_id: i64, village: Option<i64>, f: &'a DialogueFilter) -> Boxed<'a> {
    let mut q = dialogues::table.filter(dialogues::commune_id.eq(commune_id)).into_boxed();
    if let Some(v) = village {
        q = q.filter(dialogues::id.eq_any(
            dialogue_villages::table.filter(dialogue_villages::unit_id.eq(v)).select(dialogue_villages::dialogue_id),
        ));
    }
    if let Some(p) = search_pattern(f.q.as_deref()) {
        q = q.filter(dialogues::topics_search.like(p).escape('\\'));
    }
    if let Some((a, b)) = f.year.and_then(year_days) {
        q = q.filter(dialogues::held_on.between(a, b));
    }
    q
}

pub fn list_dialogues(
    conn: &mut DbConnection,
    commune_id: i64,
    village: Option<i64>,
    f: &DialogueFilter,
    paging: Paging,
) -> QueryResult<(Vec<DialogueRow>, i64)> {
    Ok(crate::page_of!(
        conn,
        paging,
        dialogues_of(commune_id, village, f),
        order = (dialogues::held_on.desc(), dialogues::id.desc()),
        select = DialogueRow::as_select()
    ))
}

/// A dialogue in scope; others are `NotFound`.
pub fn get_dialogue(
    conn: &mut DbConnection,
    commune_id: i64,
    village: Option<i64>,
    id: i64,
) -> QueryResult<DialogueRow> {
    let f = DialogueFilter::default();
    dialogues_of(commune_id, village, &f).filter(dialogues::id.eq(id)).select(DialogueRow::as_select()).first(conn)
}

pub fn insert_dialogue(conn: &mut DbConnection, d: &NewDialogue) -> QueryResult<DialogueRow> {
    diesel::insert_into(dialogues::table).values(d).returning(dialogues::all_columns).get_result(conn)
}

pub fn update_dialogue(conn: &mut DbConnection, id: i64, c: &DialogueValues) -> QueryResult<DialogueRow> {
    diesel::update(dialogues::table.find(id)).set(c).returning(dialogues::all_columns).get_result(conn)
}

/// The earliest due day of a dialogue's commitments.
pub fn earliest_due(conn: &mut DbConnection, dialogue_id: i64) -> QueryResult<Option<NaiveDate>> {
    commitments::table
        .filter(commitments::dialogue_id.eq(dialogue_id))
        .select(diesel::dsl::min(commitments::due_on))
        .first(conn)
}

/// Replaces the villages that took part in a dialogue.
pub fn set_villages(conn: &mut DbConnection, dialogue_id: i64, units: &[i64]) -> QueryResult<()> {
    diesel::delete(dialogue_villages::table.filter(dialogue_villages::dialogue_id.eq(dialogue_id))).execute(conn)?;
    for u in units {
        diesel::insert_into(dialogue_villages::table)
            .values((dialogue_villages::dialogue_id.eq(dialogue_id), dialogue_villages::unit_id.eq(*u)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn villages_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, i64)>> {
    dialogue_villages::table
        .filter(dialogue_villages::dialogue_id.eq_any(ids))
        .select((dialogue_villages::dialogue_id, dialogue_villages::unit_id))
        .load(conn)
}

/// (dialogue, status, count) of the commitments of some dialogues.
pub fn commitment_counts(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, i64)>> {
    commitments::table
        .filter(commitments::dialogue_id.eq_any(ids))
        .group_by((commitments::dialogue_id, commitments::status))
        .select((commitments::dialogue_id, commitments::status, count_star()))
        .load(conn)
}

pub fn commitments_of_dialogue(conn: &mut DbConnection, dialogue_id: i64) -> QueryResult<Vec<ItemRow>> {
    commitments::table
        .filter(commitments::dialogue_id.eq(dialogue_id))
        .order((commitments::due_on, commitments::id))
        .select(commitments::all_columns)
        .load(conn)
}

/// Commitments still open from dialogues held before `before` (or before dialogue `except`).
pub fn open_before(
    conn: &mut DbConnection,
    commune_id: i64,
    before: NaiveDate,
    except: i64,
) -> QueryResult<Vec<ItemRow>> {
    commitments::table
        .filter(commitments::commune_id.eq(commune_id))
        .filter(commitments::status.eq_any(["open", "in_progress"]))
        .filter(commitments::dialogue_id.ne(except))
        .filter(
            commitments::dialogue_id.eq_any(
                dialogues::table
                    .filter(dialogues::commune_id.eq(commune_id))
                    .filter(dialogues::held_on.le(before))
                    .select(dialogues::id),
            ),
        )
        .order((commitments::due_on, commitments::id))
        .select(commitments::all_columns)
        .load(conn)
}

/// Commitments of the commune; a village sees those of its dialogues and those it owns.
pub fn list_commitments(
    conn: &mut DbConnection,
    commune_id: i64,
    village: Option<i64>,
    f: &CommitmentFilter,
    today: NaiveDate,
    paging: Paging,
) -> QueryResult<(Vec<ItemRow>, i64)> {
    let filtered = || {
        let mut q = commitments::table.filter(commitments::commune_id.eq(commune_id)).into_boxed();
        if let Some(v) = village {
            q = q.filter(
                commitments::owner_unit_id.eq(v).or(commitments::dialogue_id.eq_any(
                    dialogue_villages::table
                        .filter(dialogue_villages::unit_id.eq(v))
                        .select(dialogue_villages::dialogue_id),
                )),
            );
        }
        if f.overdue == Some(true) {
            q = q.filter(commitments::status.eq_any(["open", "in_progress"])).filter(commitments::due_on.lt(today));
        }
        if let Some(s) = f.status {
            q = q.filter(commitments::status.eq(s.as_str()));
        }
        if let Some(u) = f.owner_unit_id {
            q = q.filter(commitments::owner_unit_id.eq(u));
        }
        if let Some(t) = f.task_id {
            q = q.filter(commitments::task_id.eq(t));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (commitments::due_on, commitments::id),
        select = commitments::all_columns
    ))
}

/// A commitment of the commune (a village: of its dialogues or its own); others `NotFound`.
pub fn get_commitment(conn: &mut DbConnection, commune_id: i64, village: Option<i64>, id: i64) -> QueryResult<ItemRow> {
    let mut q =
        commitments::table.filter(commitments::id.eq(id)).filter(commitments::commune_id.eq(commune_id)).into_boxed();
    if let Some(v) = village {
        q = q.filter(commitments::owner_unit_id.eq(v).or(commitments::dialogue_id.eq_any(
            dialogue_villages::table.filter(dialogue_villages::unit_id.eq(v)).select(dialogue_villages::dialogue_id),
        )));
    }
    q.select(commitments::all_columns).first(conn)
}

/// The dialogue of the commune held just before dialogue `id` (held on `held_on`).
pub fn previous_dialogue(
    conn: &mut DbConnection,
    commune_id: i64,
    held_on: NaiveDate,
    id: i64,
) -> QueryResult<Option<i64>> {
    dialogues::table
        .filter(dialogues::commune_id.eq(commune_id))
        .filter(dialogues::held_on.lt(held_on).or(dialogues::held_on.eq(held_on).and(dialogues::id.lt(id))))
        .order((dialogues::held_on.desc(), dialogues::id.desc()))
        .select(dialogues::id)
        .first(conn)
        .optional()
}

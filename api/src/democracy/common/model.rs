//! Rows of the items the tracked steps (`tracked.rs`) share: commitments of dialogues and
//! decisions of meetings. The two kinds live in tables of their own with the same columns in
//! the same order (`commitments`/`meeting_decisions`, `commitment_reports`/`decision_reports`),
//! and are read into the same types; each repo names its own table.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A stored item: a commitment (`sitting_id` is its `dialogue_id`) or a decision (its
/// `meeting_id`). Loaded with the table's `all_columns`.
#[derive(Debug, Clone, Queryable)]
pub struct ItemRow {
    pub id: i64,
    pub commune_id: i64,
    pub sitting_id: i64,
    pub text: String,
    pub owner_unit_id: i64,
    pub due_on: NaiveDate,
    pub status: String,
    pub done_on: Option<NaiveDate>,
    pub task_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A stored progress report on an item (`item_id` is its `commitment_id` or `decision_id`).
#[derive(Debug, Clone, Queryable)]
pub struct ItemReportRow {
    pub id: i64,
    pub item_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub text: String,
    pub status: String,
    pub created_at: NaiveDateTime,
}

/// A new item, recorded at sitting `sitting_id`.
pub struct NewItem<'a> {
    pub commune_id: i64,
    pub sitting_id: i64,
    pub text: &'a str,
    pub owner_unit_id: i64,
    pub due_on: NaiveDate,
    pub status: &'a str,
    pub now: NaiveDateTime,
}

/// A new progress report on item `item_id`, and the status (and done day) it gives the item.
pub struct Report<'a> {
    pub item_id: i64,
    pub author_id: i64,
    pub author_name: &'a str,
    pub text: &'a str,
    pub status: &'a str,
    pub done_on: Option<NaiveDate>,
    pub now: NaiveDateTime,
}

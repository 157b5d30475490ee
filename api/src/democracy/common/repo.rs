//! The queries the two kinds of tracked item share. Commitments (of dialogues) and decisions (of
//! meetings) live in two pairs of tables with the same columns: the items, and their progress
//! reports. A module's `repo.rs` names its pair once with [`item_tables!`], which writes these
//! queries against it; the shared steps reach them through [`ItemTables`].

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;

use super::ItemContent;
use super::model::{ItemReportRow, ItemRow, NewItem, Report};
use crate::db::DbConnection;

/// The queries of one kind of tracked item that do not depend on who may see it.
pub trait ItemTables {
    /// Inserts an item recorded at its sitting.
    fn insert(conn: &mut DbConnection, item: &NewItem) -> QueryResult<ItemRow>;
    /// Replaces an item's text, owner unit and due day.
    fn update(conn: &mut DbConnection, id: i64, content: &ItemContent, now: NaiveDateTime) -> QueryResult<ItemRow>;
    /// Stores a progress report and the status (and done day) it gives its item.
    fn insert_report(conn: &mut DbConnection, report: &Report) -> QueryResult<()>;
    /// Links an item to its task, only if it has none yet; whether it did.
    fn link_task(conn: &mut DbConnection, id: i64, task_id: i64, now: NaiveDateTime) -> QueryResult<bool>;
    /// The progress reports of these items, oldest first.
    fn reports_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ItemReportRow>>;
    /// A progress report of the commune, with its item.
    fn get_report(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<(ItemReportRow, ItemRow)>;
    /// The commune's items due in `[from, to]`.
    fn due_between(
        conn: &mut DbConnection,
        commune_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> QueryResult<Vec<ItemRow>>;
    /// The day a sitting of the commune was held; `NotFound` if it is not the commune's.
    fn sitting_held_on(conn: &mut DbConnection, commune_id: i64, sitting_id: i64) -> QueryResult<NaiveDate>;
    /// The days these sittings were held, by sitting id.
    fn sittings_held_on(conn: &mut DbConnection, sitting_ids: &[i64]) -> QueryResult<Vec<(i64, NaiveDate)>>;
    /// How many sittings the commune held in `[from, to]`.
    fn sittings_held_between(
        conn: &mut DbConnection,
        commune_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> QueryResult<i64>;
}

/// `item_tables!(Name: items.sitting_column at sittings, reports.item_column)` declares the unit
/// struct `Name` whose [`ItemTables`] queries run against the `items` table (recorded at the
/// row of `sittings` that `sitting_column` names) and its `reports` table (pointing at the item
/// by `item_column`). The two tables must have the columns of [`ItemRow`] and [`ItemReportRow`];
/// `sittings`, an `id`, a `commune_id` and a `held_on` day.
macro_rules! item_tables {
    ($name:ident: $items:ident . $sitting:ident at $sittings:ident, $reports:ident . $item:ident) => {
        /// The queries of this module's tracked items (`common::repo::ItemTables`).
        pub struct $name;

        const _: () = {
            use ::chrono::{NaiveDate, NaiveDateTime};
            use ::diesel::prelude::*;
            use $crate::db::DbConnection;
            use $crate::democracy::common::ItemContent;
            use $crate::democracy::common::model::{ItemReportRow, ItemRow, NewItem, Report};

            impl $crate::democracy::common::repo::ItemTables for $name {
                fn insert(conn: &mut DbConnection, i: &NewItem) -> QueryResult<ItemRow> {
                    ::diesel::insert_into($items::table)
                        .values((
                            $items::commune_id.eq(i.commune_id),
                            $items::$sitting.eq(i.sitting_id),
                            $items::text.eq(i.text),
                            $items::owner_unit_id.eq(i.owner_unit_id),
                            $items::due_on.eq(i.due_on),
                            $items::status.eq(i.status),
                            $items::created_at.eq(i.now),
                            $items::updated_at.eq(i.now),
                        ))
                        .returning($items::all_columns)
                        .get_result(conn)
                }

                fn update(
                    conn: &mut DbConnection,
                    id: i64,
                    c: &ItemContent,
                    now: NaiveDateTime,
                ) -> QueryResult<ItemRow> {
                    ::diesel::update($items::table.find(id))
                        .set((
                            $items::text.eq(&c.text),
                            $items::owner_unit_id.eq(c.owner_unit_id),
                            $items::due_on.eq(c.due_on),
                            $items::updated_at.eq(now),
                        ))
                        .returning($items::all_columns)
                        .get_result(conn)
                }

                fn insert_report(conn: &mut DbConnection, r: &Report) -> QueryResult<()> {
                    ::diesel::insert_into($reports::table)
                        .values((
                            $reports::$item.eq(r.item_id),
                            $reports::author_id.eq(r.author_id),
                            $reports::author_name.eq(r.author_name),
                            $reports::text.eq(r.text),
                            $reports::status.eq(r.status),
                            $reports::created_at.eq(r.now),
                        ))
                        .execute(conn)?;
                    ::diesel::update($items::table.find(r.item_id))
                        .set(($items::status.eq(r.status), $items::done_on.eq(r.done_on), $items::updated_at.eq(r.now)))
                        .execute(conn)
                        .map(|_| ())
                }

                fn link_task(conn: &mut DbConnection, id: i64, task_id: i64, now: NaiveDateTime) -> QueryResult<bool> {
                    ::diesel::update($items::table.find(id).filter($items::task_id.is_null()))
                        .set(($items::task_id.eq(task_id), $items::updated_at.eq(now)))
                        .execute(conn)
                        .map(|n| n == 1)
                }

                fn reports_of(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<ItemReportRow>> {
                    $reports::table
                        .filter($reports::$item.eq_any(ids))
                        .order($reports::id)
                        .select($reports::all_columns)
                        .load(conn)
                }

                fn get_report(
                    conn: &mut DbConnection,
                    commune_id: i64,
                    id: i64,
                ) -> QueryResult<(ItemReportRow, ItemRow)> {
                    $reports::table
                        .inner_join($items::table)
                        .filter($reports::id.eq(id))
                        .filter($items::commune_id.eq(commune_id))
                        .select(($reports::all_columns, $items::all_columns))
                        .first(conn)
                }

                fn due_between(
                    conn: &mut DbConnection,
                    commune_id: i64,
                    from: NaiveDate,
                    to: NaiveDate,
                ) -> QueryResult<Vec<ItemRow>> {
                    $items::table
                        .filter($items::commune_id.eq(commune_id))
                        .filter($items::due_on.between(from, to))
                        .select($items::all_columns)
                        .load(conn)
                }

                fn sitting_held_on(
                    conn: &mut DbConnection,
                    commune_id: i64,
                    sitting_id: i64,
                ) -> QueryResult<NaiveDate> {
                    $sittings::table
                        .filter($sittings::id.eq(sitting_id))
                        .filter($sittings::commune_id.eq(commune_id))
                        .select($sittings::held_on)
                        .first(conn)
                }

                fn sittings_held_on(
                    conn: &mut DbConnection,
                    sitting_ids: &[i64],
                ) -> QueryResult<Vec<(i64, NaiveDate)>> {
                    $sittings::table
                        .filter($sittings::id.eq_any(sitting_ids))
                        .select(($sittings::id, $sittings::held_on))
                        .load(conn)
                }

                fn sittings_held_between(
                    conn: &mut DbConnection,
                    commune_id: i64,
                    from: NaiveDate,
                    to: NaiveDate,
                ) -> QueryResult<i64> {
                    $sittings::table
                        .filter($sittings::commune_id.eq(commune_id))
                        .filter($sittings::held_on.between(from, to))
                        .count()
                        .get_result(conn)
                }
            }
        };
    };
}
pub(crate) use item_tables;

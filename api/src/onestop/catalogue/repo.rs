//! Every query of the procedure catalogue.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{procedure_online_levels, procedures, units};
use crate::db::{DbConnection, search_pattern};
use crate::http::Paging;
use crate::onestop::model::*;

pub fn list_procedures(
    conn: &mut DbConnection,
    commune_id: i64,
    f: &ProcedureFilter,
    paging: Paging,
) -> QueryResult<(Vec<ProcedureRow>, i64)> {
    let pattern = search_pattern(f.q.as_deref());
    let filtered = || {
        let mut q = procedures::table.filter(procedures::commune_id.eq(commune_id)).into_boxed();
        if let Some(p) = &pattern {
            q = q.filter(
                procedures::name_search.like(p.clone()).escape('\\').or(procedures::code.like(p.clone()).escape('\\')),
            );
        }
        if let Some(field) = &f.field {
            q = q.filter(procedures::field.eq(field.clone()));
        }
        if let Some(a) = f.active {
            q = q.filter(procedures::active.eq(a));
        }
        q
    };
    Ok(crate::page_of!(
        conn,
        paging,
        filtered(),
        order = (procedures::field, procedures::name_search, procedures::id),
        select = ProcedureRow::as_select()
    ))
}

pub fn active_procedures(conn: &mut DbConnection, commune_id: i64) -> QueryResult<Vec<ProcedureRow>> {
    procedures::table
        .filter(procedures::commune_id.eq(commune_id))
        .filter(procedures::active.eq(true))
        .order((procedures::field, procedures::name_search))
        .select(ProcedureRow::as_select())
        .load(conn)
}

/// Every procedure of the communes, active or not.
pub fn procedures_of(conn: &mut DbConnection, communes: &[i64]) -> QueryResult<Vec<ProcedureRow>> {
    procedures::table
        .filter(procedures::commune_id.eq_any(communes))
        .order((procedures::commune_id, procedures::code))
        .select(ProcedureRow::as_select())
        .load(conn)
}

pub fn count_procedures(conn: &mut DbConnection, commune_id: i64) -> QueryResult<i64> {
    procedures::table.filter(procedures::commune_id.eq(commune_id)).count().get_result(conn)
}

/// A procedure of this commune; another commune's is `NotFound`.
/// A procedure of the commune with the name and code of unit `unit_id` (`None`, `None` when
/// that unit is not the commune's), in one statement.
pub fn procedure_and_unit(
    conn: &mut DbConnection,
    commune_id: i64,
    id: i64,
    unit_id: i64,
) -> QueryResult<(ProcedureRow, Option<String>, Option<String>)> {
    let unit = || units::table.filter(units::id.eq(unit_id)).filter(units::commune_id.eq(commune_id));
    procedures::table
        .filter(procedures::id.eq(id))
        .filter(procedures::commune_id.eq(commune_id))
        .select((
            ProcedureRow::as_select(),
            unit().select(units::name).single_value(),
            unit().select(units::code).single_value(),
        ))
        .first(conn)
}

pub fn get_procedure(conn: &mut DbConnection, commune_id: i64, id: i64) -> QueryResult<ProcedureRow> {
    procedures::table
        .filter(procedures::id.eq(id))
        .filter(procedures::commune_id.eq(commune_id))
        .select(ProcedureRow::as_select())
        .first(conn)
}

pub fn find_procedure_by_code(
    conn: &mut DbConnection,
    commune_id: i64,
    code: &str,
) -> QueryResult<Option<ProcedureRow>> {
    procedures::table
        .filter(procedures::commune_id.eq(commune_id))
        .filter(procedures::code.eq(code))
        .select(ProcedureRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_procedure(
    conn: &mut DbConnection,
    commune_id: i64,
    v: &ProcedureValues,
    demo: bool,
    now: NaiveDateTime,
) -> QueryResult<ProcedureRow> {
    diesel::insert_into(procedures::table)
        .values((v, procedures::commune_id.eq(commune_id), procedures::demo.eq(demo), procedures::created_at.eq(now)))
        .returning(procedures::all_columns)
        .get_result(conn)
}

pub fn update_procedure(conn: &mut DbConnection, id: i64, v: &ProcedureValues) -> QueryResult<ProcedureRow> {
    diesel::update(procedures::table.find(id)).set(v).returning(procedures::all_columns).get_result(conn)
}

/// Online-level history of some procedures: (procedure, level, from), oldest first.
pub fn online_levels(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String, NaiveDate)>> {
    procedure_online_levels::table
        .filter(procedure_online_levels::procedure_id.eq_any(ids))
        .order((procedure_online_levels::procedure_id, procedure_online_levels::effective_from))
        .select((
            procedure_online_levels::procedure_id,
            procedure_online_levels::level,
            procedure_online_levels::effective_from,
        ))
        .load(conn)
}

/// Records a level from a date (replacing an entry of the same date).
pub fn set_online_level(
    conn: &mut DbConnection,
    procedure_id: i64,
    level: &str,
    from: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(
        procedure_online_levels::table
            .filter(procedure_online_levels::procedure_id.eq(procedure_id))
            .filter(procedure_online_levels::effective_from.eq(from)),
    )
    .execute(conn)?;
    diesel::insert_into(procedure_online_levels::table)
        .values((
            procedure_online_levels::procedure_id.eq(procedure_id),
            procedure_online_levels::level.eq(level),
            procedure_online_levels::effective_from.eq(from),
            procedure_online_levels::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

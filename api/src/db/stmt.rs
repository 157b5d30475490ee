//! Fixed statements that stay prepared (PostgreSQL, and SQLite for the binds it has).
//!
//! diesel prepares a statement once per connection and reuses it only when it can prove the
//! SQL text never varies. It never proves it for raw SQL (`sql_query`), any `UPDATE`, or an
//! upsert's `DO UPDATE`. Those are parsed and planned again on every call: about a third of
//! PostgreSQL's time in an intake. [`Sql`] is a fixed text with `?` placeholders and typed
//! binds. It tells diesel the text is fixed, so diesel caches it by that text like any other
//! statement. Used on the hot write paths: the audit chain's lanes, the dossier counter and
//! the dossier intake.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp, Untyped};
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, RunQueryDsl};

/// One bound value.
#[derive(Debug, Clone)]
pub enum Bind<'a> {
    Bool(bool),
    I32(i32),
    I64(i64),
    OptI32(Option<i32>),
    OptI64(Option<i64>),
    Text(&'a str),
    OptText(Option<&'a str>),
    Time(NaiveDateTime),
    OptTime(Option<NaiveDateTime>),
    Date(NaiveDate),
    I64s(Vec<i64>),
    /// Arrays: PostgreSQL only (with `unnest`, one fixed statement writes any number of rows).
    I32s(Vec<i32>),
    Dates(Vec<NaiveDate>),
}

/// A fixed SQL text (placeholders `?`, none elsewhere in the text) and its binds, in order.
/// Load rows with `QueryableByName` types, or `execute` it.
#[derive(Debug, Clone)]
pub struct Sql<'a> {
    text: &'static str,
    binds: Vec<Bind<'a>>,
}

impl<'a> Sql<'a> {
    pub fn new(text: &'static str, binds: Vec<Bind<'a>>) -> Sql<'a> {
        debug_assert_eq!(text.matches('?').count(), binds.len(), "placeholders and binds of: {text}");
        Sql { text, binds }
    }
}

/// The walk both engines share: the text between placeholders and the scalar binds; `$arrays`
/// handles the array binds (PostgreSQL binds them, SQLite has none).
macro_rules! walk_with_binds {
    ($backend:ty, |$out:ident, $array:ident| $arrays:expr) => {
        impl QueryFragment<$backend> for Sql<'_> {
            fn walk_ast<'b>(&'b self, mut $out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                let mut parts = self.text.split('?');
                $out.push_sql(parts.next().unwrap_or_default());
                for (bind, part) in self.binds.iter().zip(parts) {
                    match bind {
                        Bind::Bool(v) => $out.push_bind_param::<diesel::sql_types::Bool, _>(v)?,
                        Bind::I32(v) => $out.push_bind_param::<Integer, _>(v)?,
                        Bind::I64(v) => $out.push_bind_param::<BigInt, _>(v)?,
                        Bind::OptI32(v) => $out.push_bind_param::<Nullable<Integer>, _>(v)?,
                        Bind::OptI64(v) => $out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                        Bind::Text(v) => $out.push_bind_param::<Text, _>(*v)?,
                        Bind::OptText(v) => $out.push_bind_param::<Nullable<Text>, _>(v)?,
                        Bind::Time(v) => $out.push_bind_param::<Timestamp, _>(v)?,
                        Bind::OptTime(v) => $out.push_bind_param::<Nullable<Timestamp>, _>(v)?,
                        Bind::Date(v) => $out.push_bind_param::<Date, _>(v)?,
                        $array => $arrays,
                    }
                    $out.push_sql(part);
                }
                Ok(())
            }
        }
    };
}

walk_with_binds!(Pg, |out, array| match array {
    Bind::I64s(v) => out.push_bind_param::<Array<BigInt>, _>(v)?,
    Bind::I32s(v) => out.push_bind_param::<Array<Integer>, _>(v)?,
    Bind::Dates(v) => out.push_bind_param::<Array<Date>, _>(v)?,
    // The scalar binds are matched first: nothing else reaches here.
    _ => return Err(diesel::result::Error::QueryBuilderError("not an array bind".into())),
});

walk_with_binds!(Sqlite, |out, array| {
    let _ = array;
    return Err(diesel::result::Error::QueryBuilderError("SQLite has no array parameters".into()));
});

/// No static id: diesel keys its statement cache by the SQL text and the bind types, and caches
/// because nothing in [`Sql::walk_ast`] marks the statement unsafe to cache.
impl QueryId for Sql<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Sql<'_> {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Sql<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_take_the_placeholders_in_order() {
        let q = Sql::new(
            "UPDATE t SET a = ?, b = ? WHERE id = ANY(?) AND c = ?",
            vec![Bind::I64(1), Bind::OptText(None), Bind::I64s(vec![2, 3]), Bind::Text("x")],
        );
        let sql = diesel::debug_query::<Pg, _>(&q).to_string();
        assert!(sql.starts_with("UPDATE t SET a = $1, b = $2 WHERE id = ANY($3) AND c = $4"), "{sql}");
        assert!(sql.contains("binds: [1, None, [2, 3], \"x\"]"), "{sql}");
    }
}

//! A consistent copy of a live SQLite database, for backups.

use diesel::prelude::*;

use super::DbConnection;

/// Writes a consistent copy of the SQLite database to `dest` (which must not exist) with
/// `VACUUM INTO`: it reads one snapshot, so writers carry on and the copy is what was
/// committed when it started. PostgreSQL answers `None` (use `pg_dump`).
pub fn vacuum_into(conn: &mut DbConnection, dest: &str) -> QueryResult<Option<()>> {
    match conn {
        DbConnection::Sqlite(c) => {
            diesel::sql_query("VACUUM INTO ?").bind::<diesel::sql_types::Text, _>(dest).execute(c)?;
            Ok(Some(()))
        }
        DbConnection::Postgresql(_) => Ok(None),
    }
}

//! Database access over two engines: SQLite (embedded default) and PostgreSQL.
//!
//! `DbConnection` is diesel's derived multi-backend connection. The pool manager picks the
//! engine from the URL scheme, so a PostgreSQL outage surfaces as a PostgreSQL error instead
//! of "no engine accepted the URL", and it sets the SQLite pragmas on every new connection.

pub mod fast_time;
pub mod idempotency;
pub mod schema;
pub mod snapshot;
pub mod stmt;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{AppError, AppResult};

/// One connection to either engine.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The connection pool every request borrows from, with a fair gate in front of it.
///
/// `run` takes a permit (first come, first served, waiting without a thread) before it moves
/// to the blocking pool, and there are as many permits as connections. Without the gate every
/// request took a blocking thread at once and those threads queued on r2d2's condition
/// variable, which wakes waiters in no particular order: at 32 concurrent clients on 2 cores
/// the task list's p99 was 2.5× its median; with it, 1.6–1.8×.
#[derive(Clone)]
pub struct DbPool {
    inner: r2d2::Pool<DbManager>,
    gate: std::sync::Arc<tokio::sync::Semaphore>,
}

impl DbPool {
    /// A connection straight from the pool, outside the gate (start-up, housekeeping, tests).
    pub fn get(&self) -> Result<PooledConn, r2d2::Error> {
        self.inner.get()
    }
}

impl std::fmt::Debug for DbPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbPool")
            .field("max_size", &self.inner.max_size())
            .field("free_permits", &self.gate.available_permits())
            .finish()
    }
}
/// A borrowed connection.
pub type PooledConn = r2d2::PooledConnection<DbManager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Which engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Reads the engine from a URL scheme (`sqlite://`, `postgres://`, `postgresql://`).
    pub fn from_url(url: &str) -> Result<Engine, String> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else if url.starts_with("sqlite://") || url.starts_with("sqlite:") || url.starts_with("file:") {
            Ok(Engine::Sqlite)
        } else {
            Err(format!(
                "unsupported database URL scheme (use sqlite:// or postgres://): {}",
                crate::config::redact_url(url)
            ))
        }
    }
}

/// r2d2 manager that opens the engine the URL names.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: String,
    engine: Engine,
    connect_timeout: Duration,
}

impl DbManager {
    pub fn new(url: &str, connect_timeout: Duration) -> Result<Self, String> {
        let engine = Engine::from_url(url)?;
        Ok(Self { url: url.to_string(), engine, connect_timeout })
    }

    fn sqlite_path(&self) -> &str {
        self.url.strip_prefix("sqlite://").or_else(|| self.url.strip_prefix("sqlite:")).unwrap_or(&self.url)
    }

    fn pg_url(&self) -> String {
        if self.url.contains("connect_timeout=") {
            return self.url.clone();
        }
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{}connect_timeout={}", self.url, sep, self.connect_timeout.as_secs().max(1))
    }
}

impl r2d2::ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        match self.engine {
            Engine::Postgres => PgConnection::establish(&self.pg_url())
                .map(DbConnection::Postgresql)
                .map_err(diesel::r2d2::Error::ConnectionError),
            Engine::Sqlite => {
                let mut conn =
                    SqliteConnection::establish(self.sqlite_path()).map_err(diesel::r2d2::Error::ConnectionError)?;
                // `synchronous = FULL`: in WAL mode every commit is fsynced before it returns, so a
                // write the client was told succeeded survives a power cut, not only a crash
                // of the process (NORMAL may lose the last commits then).
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
                     PRAGMA synchronous = FULL;",
                )
                .map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    /// A connection whose engine is not the pool's is the tombstone `run` leaves in place of a
    /// PostgreSQL connection found dead; the pool drops it on return and opens a new one.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgresql(_) => self.engine != Engine::Postgres,
            DbConnection::Sqlite(_) => self.engine != Engine::Sqlite,
        }
    }
}

/// Opens a pool and proves the database answers, failing within the connect timeout.
pub fn connect(url: &str, pool_size: u32, connect_timeout: Duration) -> Result<DbPool, String> {
    let manager = DbManager::new(url, connect_timeout)?;
    if manager.engine == Engine::Sqlite {
        private_sqlite_file(manager.sqlite_path())?;
    }
    // One direct attempt first so the real cause (refused, auth, unknown database) is reported.
    use r2d2::ManageConnection;
    manager.connect().map_err(|e| format!("cannot connect to {}: {e}", crate::config::redact_url(url)))?;
    let inner = r2d2::Pool::builder()
        // No `SELECT 1` before every checkout: on SQLite a connection is a file handle that
        // cannot go away; on PostgreSQL `run` notices a dead connection when a query fails
        // and has the pool replace it, so a server restart costs one failed request per
        // pooled connection instead of a round trip on every request.
        .test_on_check_out(false)
        .max_size(pool_size)
        .min_idle(Some(1))
        .connection_timeout(connect_timeout)
        .build(manager)
        .map_err(|e| format!("cannot open connection pool: {e}"))?;
    let permits = usize::try_from(pool_size).unwrap_or(1);
    Ok(DbPool { inner, gate: std::sync::Arc::new(tokio::sync::Semaphore::new(permits)) })
}

/// Creates the SQLite file (and its folder) private to the server's user before SQLite opens
/// it — SQLite gives the WAL and shared-memory files the database file's mode — and takes
/// group and other permissions from a database an older version left readable.
fn private_sqlite_file(path: &str) -> Result<(), String> {
    if path.is_empty() || path.starts_with(':') || path.starts_with("file:") {
        return Ok(());
    }
    let path = std::path::Path::new(path);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::fsutil::private_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    match crate::fsutil::private_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            for suffix in ["", "-wal", "-shm"] {
                let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists()
                    && let Err(e) = crate::fsutil::make_private(&file)
                {
                    tracing::warn!(file = %file.display(), error = %e, "cannot make the database file private");
                }
            }
            Ok(())
        }
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

/// Applies every pending migration of the connection's engine.
pub fn run_migrations(conn: &mut DbConnection) -> Result<usize, String> {
    let applied = match conn {
        DbConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|e| format!("migration failed: {e}"))
}

/// Runs the same expression against whichever concrete connection `conn` holds. For the few
/// diesel features the multi-backend does not derive (upserts, batch inserts).
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// One page of a list and the number of rows in all its pages, as `(rows, total)` (`paging`: a
/// `Paging`, whose `per_page` and `offset()` cut the page):
/// `page_of!(conn, paging, filtered(), order = (t::day.desc(), t::id.desc()), select = Row::as_select())`.
/// `$query` is written once and built twice (counted, then ordered and cut to the page), so it
/// is a call that builds a fresh boxed query. Returns early with the error of either statement.
#[macro_export]
macro_rules! page_of {
    ($conn:expr, $paging:ident, $query:expr, order = $order:expr, select = $select:expr) => {{
        let total: i64 = $query.count().get_result($conn)?;
        let rows = $query.order($order).limit($paging.per_page).offset($paging.offset()).select($select).load($conn)?;
        (rows, total)
    }};
}

/// A row that holds the values it was inserted with as `#[diesel(embed)]` reads them as its own
/// fields: `row_derefs_to!(ResponseRow, values: NewResponse)`.
#[macro_export]
macro_rules! row_derefs_to {
    ($row:ty, $field:ident: $target:ty) => {
        impl std::ops::Deref for $row {
            type Target = $target;
            fn deref(&self) -> &$target {
                &self.$field
            }
        }
    };
}

/// A write transaction: `BEGIN IMMEDIATE` on SQLite (takes the write lock up front, so two
/// writers wait on `busy_timeout` instead of failing on lock upgrade), plain `BEGIN` on
/// PostgreSQL. Commits when `f` succeeds, rolls back otherwise.
pub fn write_tx<T, E>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConnection::Postgresql(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            // The original error matters more than a failed rollback.
            let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn);
            Err(e)
        }
    }
}

/// Runs blocking database work on the blocking pool with a pooled connection.
pub async fn run<T, F>(pool: &DbPool, f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
{
    let permit = pool.gate.clone().acquire_owned().await.map_err(|_| AppError::Unavailable("pool closed".into()))?;
    let pool = pool.inner.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        let result = f(&mut conn);
        run_after_work_hooks();
        if matches!(result, Err(AppError::Unavailable(_))) {
            retire_if_dead(&mut conn);
        }
        drop(conn);
        drop(permit);
        result
    })
    .await
    .map_err(|e| AppError::Internal(format!("database task failed: {e}")))?
}

thread_local! {
    static AFTER_WORK: std::cell::RefCell<Vec<fn()>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Asks [`run`] to call `hook` on this thread once the current unit of database work is over,
/// committed or rolled back — for an in-process cache that must forget what the work changed
/// only after other requests can read the change. Registering the same hook twice calls it once.
pub fn after_work(hook: fn()) {
    AFTER_WORK.with(|h| {
        let mut hooks = h.borrow_mut();
        if !hooks.iter().any(|f| std::ptr::fn_addr_eq(*f, hook)) {
            hooks.push(hook);
        }
    });
}

/// Calls and forgets the hooks registered by [`after_work`] on this thread. [`run`] calls it;
/// code that writes outside `run` (the CLI, housekeeping without a transaction) calls it
/// itself once its statement has committed.
pub fn run_after_work_hooks() {
    let hooks = AFTER_WORK.with(|h| std::mem::take(&mut *h.borrow_mut()));
    for hook in hooks {
        hook();
    }
}

/// After a failure that may mean a lost server, probes the connection; a dead PostgreSQL
/// connection is swapped for an in-memory SQLite tombstone, which `has_broken` reports, so the
/// pool discards it instead of handing it to the next request.
fn retire_if_dead(conn: &mut DbConnection) {
    if matches!(conn, DbConnection::Postgresql(_))
        && conn.batch_execute("SELECT 1").is_err()
        && let Ok(tombstone) = SqliteConnection::establish(":memory:")
    {
        *conn = DbConnection::Sqlite(tombstone);
    }
}

/// Readiness: a pooled connection answers a query. A connection found dead (PostgreSQL
/// restarted, or its backend terminated) is discarded and the next one tried, up to the pool's
/// size plus one, so the check heals the pool by itself instead of failing until real traffic
/// has retired every dead connection.
pub fn check_ready(pool: &DbPool) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..=pool.inner.max_size() {
        let mut conn = pool.inner.get().map_err(|e| e.to_string())?;
        match ping(&mut conn) {
            Ok(()) => return Ok(()),
            Err(e) => {
                last = e.to_string();
                if !matches!(*conn, DbConnection::Postgresql(_)) {
                    break;
                }
                retire_if_dead(&mut conn);
            }
        }
    }
    Err(last)
}

/// Proves the database answers a query.
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

/// Lower-cases and strips Vietnamese diacritics so "dong" finds "Đồng".
pub fn fold_search(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Combining marks (text typed or pasted decomposed, "e" + U+0301) go with the tones.
    for ch in text.chars().filter(|c| !('\u{300}'..='\u{36f}').contains(c)) {
        out.push(fold_char(ch));
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fold_char(c: char) -> char {
    const GROUPS: &[(&str, char)] = &[
        ("aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'a'),
        ("eèéẻẽẹêềếểễệEÈÉẺẼẸÊỀẾỂỄỆ", 'e'),
        ("iìíỉĩịIÌÍỈĨỊ", 'i'),
        ("oòóỏõọôồốổỗộơờớởỡợOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'o'),
        ("uùúủũụưừứửữựUÙÚỦŨỤƯỪỨỬỮỰ", 'u'),
        ("yỳýỷỹỵYỲÝỶỸỴ", 'y'),
        // Ð/ð (U+00D0/U+00F0) look like Đ/đ and come with old fonts and copied text.
        ("dđDĐÐð", 'd'),
    ];
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    for (set, base) in GROUPS {
        if set.contains(c) {
            return *base;
        }
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// The `LIKE … ESCAPE '\'` pattern of what a search box holds, folded like the `*_search`
/// columns; `None` when it holds nothing to search for.
pub fn search_pattern(q: Option<&str>) -> Option<String> {
    q.map(fold_search).filter(|q| !q.is_empty()).map(|q| like_pattern(&q))
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_pattern(folded: &str) -> String {
    let mut p = String::from("%");
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-stop law migration rebuilds the dossier tables on SQLite: a database that holds
    /// dossiers and events keeps them all, with their foreign keys enforced (an empty database
    /// would not notice a rebuild that breaks them).
    #[test]
    fn the_dossier_rebuild_keeps_a_populated_database() {
        use diesel::migration::MigrationSource;
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.batch_execute("PRAGMA foreign_keys = ON").unwrap();
        c.batch_execute(diesel::migration::CREATE_MIGRATIONS_TABLE).unwrap();
        let all = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS).unwrap();
        for m in all.iter().take_while(|m| !m.name().to_string().starts_with("2026-12-02-000002")) {
            c.run_migration(m).unwrap_or_else(|e| panic!("{}: {e}", m.name()));
        }
        c.batch_execute(
            "INSERT INTO authorities (id, name, level, created_at) VALUES (1, 'T', 'province', '2026-01-01');
             INSERT INTO communes (id, authority_id, name, created_at) VALUES (1, 1, 'X', '2026-01-01');
             INSERT INTO units (id, commune_id, name, name_search, kind, code, created_at, updated_at)
                 VALUES (1, 1, 'U', 'u', 'people_committee', 'HS', '2026-01-01', '2026-01-01');
             INSERT INTO procedures (id, commune_id, code, name, name_search, field, limit_amount, limit_unit,
                 result_kind, created_at, updated_at)
                 VALUES (1, 1, '1.1', 'P', 'p', 'F', 3, 'working_days', 'paper', '2026-01-01', '2026-01-01');
             INSERT INTO dossiers (id, commune_id, procedure_id, unit_id, code, channel, status, applicant_name,
                 applicant_search, applicant_phone, phone_digits, applicant_id_number, applicant_address,
                 received_at, appointed_at, deadline_at, due_at, created_at, updated_at)
                 VALUES (7, 1, 1, 1, 'HS-260101-0001', 1, 2, 'A', 'a', '1', '1', '1', 'x', '2026-01-01',
                 '2026-01-02', '2026-01-02', '2026-01-02', '2026-01-01', '2026-01-01');
             INSERT INTO dossier_events (dossier_id, action, to_status, at, user_name)
                 VALUES (7, 'receive', 2, '2026-01-01', 'u');",
        )
        .unwrap();
        c.run_pending_migrations(SQLITE_MIGRATIONS).unwrap();
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let count = |c: &mut SqliteConnection, sql: &str| diesel::sql_query(sql).get_result::<N>(c).unwrap().n;
        assert_eq!(count(&mut c, "SELECT COUNT(*) AS n FROM dossiers WHERE id = 7"), 1);
        assert_eq!(count(&mut c, "SELECT COUNT(*) AS n FROM dossier_events WHERE dossier_id = 7"), 1);
        assert_eq!(count(&mut c, "SELECT COUNT(*) AS n FROM pragma_foreign_key_check"), 0);
        // Still enforced: no event of an unknown dossier, no deleting a dossier with events.
        assert!(
            c.batch_execute("INSERT INTO dossier_events (dossier_id, action, to_status, at, user_name) VALUES (99, 'x', 2, '2026-01-01', 'u')")
                .is_err()
        );
        assert!(c.batch_execute("DELETE FROM dossiers WHERE id = 7").is_err());
        // Codes are unique per commune now, not across the database.
        c.batch_execute(
            "INSERT INTO communes (id, authority_id, name, created_at) VALUES (2, 1, 'Y', '2026-01-01');
             INSERT INTO dossiers (commune_id, procedure_id, unit_id, code, channel, status, applicant_name,
                 applicant_search, applicant_phone, phone_digits, applicant_id_number, applicant_address,
                 received_at, appointed_at, deadline_at, due_at, created_at, updated_at)
                 SELECT 2, procedure_id, unit_id, code, channel, status, applicant_name, applicant_search,
                 applicant_phone, phone_digits, applicant_id_number, applicant_address, received_at,
                 appointed_at, deadline_at, due_at, created_at, updated_at FROM dossiers WHERE id = 7;",
        )
        .unwrap();
        assert!(
            c.batch_execute(
                "INSERT INTO dossiers (commune_id, procedure_id, unit_id, code, channel, status, applicant_name,
                 applicant_search, applicant_phone, phone_digits, applicant_id_number, applicant_address,
                 received_at, appointed_at, deadline_at, due_at, created_at, updated_at)
                 SELECT commune_id, procedure_id, unit_id, code, channel, status, applicant_name, applicant_search,
                 applicant_phone, phone_digits, applicant_id_number, applicant_address, received_at,
                 appointed_at, deadline_at, due_at, created_at, updated_at FROM dossiers WHERE id = 7;"
            )
            .is_err()
        );
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold_search("Đồng  Tâm"), "dong tam");
        assert_eq!(fold_search("Tuyên truyền"), "tuyen truyen");
        assert_eq!(fold_search("THÔN 1"), "thon 1");
        assert_eq!(fold_search("Nguyễn Thị Hường"), "nguyen thi huong");
        // The look-alike Ð (U+00D0) of old fonts, and text typed decomposed (NFD).
        assert_eq!(fold_search("\u{d0}ăng ký"), "dang ky");
        assert_eq!(fold_search("ch\u{75}\u{31b}\u{301}ng th\u{75}\u{31b}\u{323}c"), "chung thuc");
    }

    #[test]
    fn engine_from_scheme() {
        assert_eq!(Engine::from_url("sqlite://data/x.db"), Ok(Engine::Sqlite));
        assert_eq!(Engine::from_url("postgresql://h/db"), Ok(Engine::Postgres));
        assert!(Engine::from_url("mysql://h/db").is_err());
    }

    #[test]
    fn like_escapes_wildcards() {
        assert_eq!(like_pattern("50%_a"), "%50\\%\\_a%");
    }
}

//! The state every request handler shares.

use std::sync::Arc;

use crate::auth::session_cache::SessionCache;
use crate::auth::tokens::KeyRing;
use crate::config::Config;
use crate::db::DbPool;
use crate::read_cache::ReadCache;

/// What every request handler shares. Holds nothing two instances could disagree on: state
/// lives in the database, keys come from configuration or the shared data directory.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub config: Arc<Config>,
    pub keys: Arc<KeyRing>,
    /// Sessions recently found live (`auth::session_cache`).
    pub sessions: Arc<SessionCache>,
    /// Read views already built: plan overviews and task pages, democracy lists (`read_cache`).
    pub reads: Arc<ReadCache>,
    /// Dossier intakes in progress at once: twice the cores. Beyond that, intakes only compete
    /// inside the database for the same cores and rows: on 2 cores with 16 clients on
    /// PostgreSQL, the same throughput came with p99 17.7 ms at 4 at once and 24.7 ms at 16.
    /// The others wait their turn, first come, first served (tokio's semaphore is fair),
    /// holding neither a thread nor a connection.
    pub intake_turns: Arc<tokio::sync::Semaphore>,
    /// Uploads in flight: their temporary files and the shared byte budget (`spool`).
    pub spool: Arc<crate::spool::Spool>,
    /// The key that seals denouncers' identities (`petitions::identity`).
    pub identity: Arc<crate::petitions::identity::IdentityKey>,
    /// Evidence files (`blobs`): the data directory, or a bucket shared by several servers.
    pub blobs: Arc<dyn crate::blobs::Storage>,
}

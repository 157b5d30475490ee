//! Thân Thiện — the server. `build` wires configuration, database, keys and routes; `main.rs`
//! and the test suites share everything here.

pub mod audit;
pub mod auth;
pub mod backup;
pub mod blobs;
pub mod blocking;
pub mod calendar;
pub mod config;
pub mod db;
pub mod demo;
pub mod democracy;
pub mod error;
pub mod evaluation;
pub mod fsutil;
pub mod home;
pub mod http;
pub mod integration;
pub mod notifications;
pub mod onestop;
pub mod open311;
pub mod openapi;
pub mod org;
pub mod petitions;
pub mod plans;
pub mod read_cache;
pub mod reception;
pub mod rng;
pub mod scheduler;
pub mod spool;
pub mod state;
pub mod surveys;
pub mod system;
pub mod tabular;
pub mod text_enum;
pub mod time;
pub mod webhooks;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::tokens::KeyRing;
use crate::config::Config;
use crate::db::DbPool;
use crate::http::spa::WebSource;
use crate::http::{JsonLimit, TrustedProxies};
use crate::state::AppState;

/// Registers every `/api/v1` route of every module.
pub fn api_routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    auth::routes::configure(cfg);
    org::routes::configure(cfg);
    audit::routes::configure(cfg);
    plans::routes::configure(cfg);
    calendar::routes::configure(cfg);
    onestop::configure(cfg);
    system::configure(cfg);
    integration::configure(cfg);
    democracy::configure(cfg);
    petitions::routes::configure(cfg);
    reception::routes::configure(cfg);
    surveys::routes::configure(cfg);
    evaluation::routes::configure(cfg);
    webhooks::configure(cfg);
    open311::categories::routes::configure(cfg);
    plans::rollover::routes::configure(cfg);
    notifications::routes::configure(cfg);
    scheduler::routes::configure(cfg);
    home::routes::configure(cfg);
}

/// The OpenAPI document generated from the code.
pub fn openapi_spec() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(scope("/api/v1").configure(api_routes))
        .service(scope("/open311/v2").configure(open311::configure))
        .split_for_parts();
    openapi::finish(api)
}

/// Opens the database, applies migrations, loads signing keys, and seeds the demo commune
/// when demo mode is on and the database is empty.
pub fn prepare(config: Config) -> Result<AppState, String> {
    prepare_data_dir(&config.server.data_dir)?;
    let url = config.database_url();
    let pool = db::connect(&url, config.database.pool_size, Duration::from_secs(config.database.connect_timeout_secs))
        .map_err(|e| explain_full_disk(e, &config.server.data_dir))?;
    let blobs = blobs::from_config(&config)?;
    {
        let mut conn = pool.get().map_err(|e| format!("database: {e}"))?;
        let applied = db::run_migrations(&mut conn).map_err(|e| explain_full_disk(e, &config.server.data_dir))?;
        if applied > 0 {
            tracing::info!(applied, "migrations applied");
        }
        // A database upgraded from a version without roll-ups: build them once (docs/rollups.md).
        if onestop::rollups::service::build_if_missing(&mut conn).map_err(|e| format!("roll-ups: {e}"))? {
            tracing::info!("dossier roll-ups built from the dossiers");
        }
        if config.demo.enabled {
            let hash = auth::password::hash_password(demo::DEMO_PASSWORD).map_err(|e| e.to_string())?;
            let seeded = demo::seed(&mut conn, &hash).map_err(|e| format!("demo seed failed: {e}"))?;
            if seeded != demo::Seeded::default() {
                tracing::info!(?seeded, "demo commune Bình Lương seeded");
            }
            if config.demo.living {
                let living = demo::living::seed(&mut conn, blobs.as_ref(), chrono::Utc::now().naive_utc())
                    .map_err(|e| format!("living demo failed: {e}"))?;
                if living != demo::living::Living::default() {
                    tracing::info!(?living, "demo commune brought up to today");
                }
            }
        }
    }
    let keys = KeyRing::load(&config.auth, &config.server.data_dir).map_err(|e| e.to_string())?;
    let identity =
        petitions::identity::IdentityKey::load(config.security.identity_key.as_deref(), &config.server.data_dir)?;
    if config.demo.enabled {
        // After the key: the demo denunciations' identities are sealed with it.
        let mut conn = pool.get().map_err(|e| format!("database: {e}"))?;
        let added = demo::petitions::seed_demo(&mut conn, &identity).map_err(|e| format!("demo petitions: {e}"))?;
        if added > 0 {
            tracing::info!(added, "demo reception and petitions seeded");
        }
    }
    let reads = Arc::new(read_cache::ReadCache::new(config.server.read_cache_mb.saturating_mul(1 << 20)));
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let spool = spool::Spool::new(&config.server.data_dir, config.server.upload_budget_mb.saturating_mul(1 << 20));
    let removed =
        spool.prepare().map_err(|e| explain_full_disk(format!("uploads folder: {e}"), &config.server.data_dir))?;
    if removed > 0 {
        tracing::info!(removed, "unfinished uploads of an earlier run removed");
    }
    Ok(AppState {
        spool,
        pool,
        reads,
        intake_turns: Arc::new(tokio::sync::Semaphore::new(2 * cores)),
        config: Arc::new(config),
        keys: Arc::new(keys),
        sessions: Arc::new(auth::session_cache::SessionCache::new()),
        identity: Arc::new(identity),
        blobs,
    })
}

/// Creates the data directory private to the server's user (or makes an existing one so) and
/// proves it takes a write, so a full disk stops start-up with a sentence that says so.
pub fn prepare_data_dir(dir: &std::path::Path) -> Result<(), String> {
    fsutil::private_dir_all(dir)
        .map_err(|e| explain_full_disk(format!("cannot create {}: {e}", dir.display()), dir))?;
    if let Err(e) = fsutil::make_private(dir) {
        tracing::warn!(dir = %dir.display(), error = %e, "cannot make the data directory private");
    }
    fsutil::probe_dir(dir).map_err(|e| {
        if error::is_storage_full(&e) {
            disk_full_message(dir)
        } else {
            format!("the data directory {} cannot be written: {e}", dir.display())
        }
    })
}

fn disk_full_message(dir: &std::path::Path) -> String {
    format!(
        "the disk holding {} (or the database) is full — no space left on device. \
         Free some space, then start again. / Ổ đĩa đã đầy: hãy giải phóng dung lượng rồi khởi động lại.",
        dir.display()
    )
}

/// A start-up failure whose cause is a full disk says so first.
fn explain_full_disk(e: String, dir: &std::path::Path) -> String {
    if e.contains("database or disk is full") || e.contains("No space left on device") {
        format!("{} ({e})", disk_full_message(dir))
    } else {
        e
    }
}

/// Starts the HTTP server on a bound listener.
pub fn start_server(state: AppState, listener: TcpListener) -> std::io::Result<actix_web::dev::Server> {
    let spec = openapi_spec();
    let web_source = match &state.config.server.web_dir {
        Some(dir) => WebSource::Folder(dir.clone()),
        None => WebSource::Embedded,
    };
    let trusted = TrustedProxies(state.config.server.trusted_proxies.iter().filter_map(|s| s.parse().ok()).collect());
    let limit = JsonLimit(state.config.server.max_json_bytes);
    let server_config = &state.config.server;
    let body_timeouts = http::edge::BodyTimeouts {
        idle: Duration::from_secs(server_config.body_idle_timeout_secs),
        total: Duration::from_secs(server_config.body_timeout_secs),
        min_bytes_per_sec: server_config.body_min_bytes_per_sec,
    };
    let head_timeout = Duration::from_secs(server_config.request_head_timeout_secs);
    let known = http::KnownRoutes::from_spec(&spec);
    let workers = match state.config.server.workers {
        0 => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
        n => n,
    };
    spawn_housekeeping(state.pool.clone());
    spawn_audit_checkpoints(state.clone());
    webhooks::deliver::spawn(state.pool.clone(), state.config.integration.clone());
    spawn_usage_pruning(state.pool.clone(), state.config.integration.usage_retention_days);
    scheduler::routes::spawn(state.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(state.clone()))
            .app_data(web::Data::new(web_source.clone()))
            .app_data(web::Data::new(trusted.clone()))
            .app_data(web::Data::new(limit))
            .app_data(web::Data::new(body_timeouts))
            .app_data(web::Data::new(known.clone()))
            .app_data(web::PathConfig::default().error_handler(http::path_error))
            .app_data(web::PayloadConfig::new(limit.0))
            .wrap(from_fn(integration::gate::after_key_use))
            .wrap(Compress::default())
            .wrap(from_fn(http::request_context))
            .route("/healthz", web::get().to(system::healthz))
            .route("/readyz", web::get().to(system::readyz))
            .route(
                "/api/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect().insert_header(("location", "/api/docs/")).finish()
                }),
            )
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/v1/openapi.json", spec.clone()))
            .into_utoipa_app()
            .service(scope("/api/v1").configure(api_routes).default_service(web::to(http::api_not_found)))
            .service(scope("/open311/v2").configure(open311::configure))
            .into_app()
            .service(web::scope("/api").default_service(web::to(http::api_not_found)))
            .default_service(web::to(http::spa::serve))
    })
    .workers(workers)
    .client_request_timeout(head_timeout)
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Appends a signed checkpoint of every audit chain's head (see `audit::checkpoint`).
pub fn write_audit_checkpoint(state: &AppState) -> Result<audit::checkpoint::Checkpoint, String> {
    let (kid, key) = state.keys.checkpoint_key().ok_or("no signing key")?;
    let mut c = state.pool.get().map_err(|e| e.to_string())?;
    audit::checkpoint::write_now(&mut c, &state.config.server.data_dir, kid, key)
}

fn spawn_audit_checkpoints(state: AppState) {
    let every = state.config.server.audit_checkpoint_secs;
    if every == 0 {
        return;
    }
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(every));
        loop {
            tick.tick().await;
            let s = state.clone();
            match web::block(move || write_audit_checkpoint(&s)).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "audit checkpoint failed"),
                Err(e) => tracing::warn!(error = %e, "audit checkpoint task failed"),
            }
        }
    });
}

/// Prunes expired authentication rows every ten minutes (see `auth::repo::prune`).
fn spawn_housekeeping(pool: DbPool) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            let pool = pool.clone();
            let res = web::block(move || -> Result<usize, String> {
                let mut c = pool.get().map_err(|e| e.to_string())?;
                auth::repo::prune(&mut c, chrono::Utc::now().naive_utc()).map_err(|e| e.to_string())
            })
            .await;
            match res {
                Ok(Ok(n)) if n > 0 => tracing::info!(rows = n, "housekeeping pruned expired sign-in records"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "housekeeping failed"),
                Err(e) => tracing::warn!(error = %e, "housekeeping task failed"),
            }
        }
    });
}

/// Deletes keys' use counters older than `integration.usage_retention_days`, hourly (see
/// `integration::service::prune_usage`).
fn spawn_usage_pruning(pool: DbPool, days: i64) {
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let pool = pool.clone();
            let res = web::block(move || -> Result<usize, String> {
                let mut c = pool.get().map_err(|e| e.to_string())?;
                integration::service::prune_usage(&mut c, days, chrono::Utc::now().naive_utc())
                    .map_err(|e| e.to_string())
            })
            .await;
            match res {
                Ok(Ok(n)) if n > 0 => tracing::info!(rows = n, "old API key use counters pruned"),
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "API key use pruning failed"),
                Err(e) => tracing::warn!(error = %e, "API key use pruning task failed"),
            }
        }
    });
}

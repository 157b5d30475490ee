//! `thanthien` — the command line: serve, migrate, seed-demo, create-admin, export-openapi,
//! verify-audit, rotate-signing-key, import-plan, gen-demo-dossiers, verify-rollups, rebuild-rollups.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use thanthien::config::Config;

#[derive(Parser)]
#[command(name = "thanthien", version, about = "Thân Thiện — Chính quyền thân thiện, vì Nhân dân phục vụ")]
struct Cli {
    /// TOML configuration file (also THANTHIEN_CONFIG).
    #[arg(long, global = true, env = "THANTHIEN_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://path or postgres://… (also DATABASE_URL).
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP server (migrations are applied first).
    Serve {
        #[arg(long)]
        port: Option<u16>,
        #[arg(long)]
        bind: Option<String>,
        /// Seed the demo commune into an empty database and show the demo badge.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Ask a running server's `/readyz` (on this machine, the configured port) whether it is
    /// ready: exit 0 when it is, 1 when not. For container health checks (no curl needed).
    Healthcheck {
        /// Port of the server (default: server.port of the configuration).
        #[arg(long)]
        port: Option<u16>,
        /// Seconds to wait for the answer.
        #[arg(long, default_value_t = 5)]
        timeout: u64,
    },
    /// Seed the demo commune (xã Bình Lương) into an empty database.
    SeedDemo,
    /// Create a commune administrator (and the province and commune if new). The password is
    /// read from THANTHIEN_ADMIN_PASSWORD or standard input.
    CreateAdmin {
        #[arg(long, default_value = "admin")]
        username: String,
        #[arg(long, default_value = "Quản trị viên")]
        full_name: String,
        #[arg(long)]
        commune: String,
        #[arg(long)]
        province: String,
    },
    /// Write the OpenAPI document as YAML (default: openapi.yaml; `-` for standard output).
    ExportOpenapi { path: Option<PathBuf> },
    /// Check every audit hash chain and compare it with the last signed checkpoint; exits 1
    /// naming the first bad entry or the cut tail.
    VerifyAudit,
    /// Append a signed checkpoint of every audit chain's head now and print it (JSON): the
    /// record a province keeps.
    AuditCheckpoint,
    /// Add a new signing key to the key ring in the data directory (it signs after a restart).
    RotateSigningKey,
    /// Back up the database (a consistent copy while the server runs), the uploaded files and
    /// the signing keys into one new archive with a manifest of checksums.
    Backup {
        /// The archive to write (must not exist), e.g. thanthien-2026-12-02.zip.
        dest: PathBuf,
    },
    /// Restore an archive made by `backup` into a new, empty data directory (and, for a
    /// PostgreSQL backup, into the empty database given by --database-url).
    Restore {
        archive: PathBuf,
        /// The new data directory.
        #[arg(long)]
        data_dir: PathBuf,
    },
    /// Check an archive made by `backup`: its manifest and every part's checksum.
    VerifyBackup { archive: PathBuf },
    /// Import a plan document (the JSON shape of plan-2023.json) into a commune.
    ImportPlan {
        file: PathBuf,
        /// The commune's name (default: the only commune in the database).
        #[arg(long)]
        commune: Option<String>,
        /// Status of the imported plan: draft, active or closed.
        #[arg(long, default_value = "active")]
        status: String,
    },
    /// Generate demo communes under the demo province, each with its units, a one-stop officer
    /// `ubnd-<n>` and a board member `bdh-<n>` (demo password) and the demo catalogue, and demo
    /// dossiers (source = demo) with their events spread over them. Seeds the demo commune
    /// into an empty database first. For benchmarks and demonstrations only.
    GenDemoDossiers {
        /// Number of communes to create.
        #[arg(long)]
        communes: usize,
        /// Number of dossiers, spread unevenly over the communes.
        #[arg(long)]
        dossiers: usize,
        /// First day of receipt, YYYY-MM-DD (default: 1 January of last year).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day, YYYY-MM-DD (default: today); nothing is recorded after now.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Random seed: the same seed, period and day on the same database give the same data.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Recompute the dossier roll-ups of the indicators from the dossiers and compare them with
    /// the stored ones; exit code 1 when any differs (docs/rollups.md).
    VerifyRollups,
    /// Replace the stored dossier roll-ups by a recomputation from the dossiers.
    RebuildRollups,
}

fn load_config(cli: &Cli) -> Result<Config, String> {
    let mut config = Config::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    if let Some(url) = &cli.database_url {
        config.database.url = url.clone();
    }
    Ok(config)
}

fn init_logging(config: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .or_else(|_| tracing_subscriber::EnvFilter::try_new(&config.log.level))
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if config.log.format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// `GET /readyz` on the loopback port: `Ok` on 200, else the status line or the error.
fn probe_ready(port: u16, timeout: std::time::Duration) -> Result<(), String> {
    use std::io::Read;
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = std::net::TcpStream::connect_timeout(&addr, timeout).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    stream
        .write_all(b"GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    stream.take(4096).read_to_end(&mut answer).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&answer);
    let status_line = text.lines().next().unwrap_or("").to_string();
    if status_line.split_whitespace().nth(1) == Some("200") { Ok(()) } else { Err(status_line) }
}

fn main() -> ExitCode {
    // Before anything is created: the database, its WAL, evidence and keys are the server
    // user's alone (0600 files, 0700 folders).
    thanthien::fsutil::restrict_umask();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("thanthien: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    let mut config = load_config(&cli)?;
    let cli_database_url = cli.database_url.clone();
    match cli.command {
        Command::ExportOpenapi { path } => {
            let yaml = thanthien::openapi::to_yaml(&thanthien::openapi_spec())?;
            match path.as_deref().map(|p| p.to_string_lossy().to_string()).as_deref() {
                Some("-") => print!("{yaml}"),
                _ => {
                    let path = path.unwrap_or_else(|| PathBuf::from("openapi.yaml"));
                    std::fs::write(&path, yaml).map_err(|e| format!("{}: {e}", path.display()))?;
                    eprintln!("wrote {}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve { port, bind, demo } => {
            if let Some(p) = port {
                config.server.port = p;
            }
            if let Some(b) = bind {
                config.server.bind = b;
            }
            config.demo.enabled |= demo;
            // `serve --demo`: the living demo, relative to today.
            config.demo.living |= demo;
            init_logging(&config);
            tracing::info!(config = ?config, "starting");
            let addr = format!("{}:{}", config.server.bind, config.server.port);
            let demo = config.demo.enabled;
            let state = thanthien::prepare(config)?;
            let listener = std::net::TcpListener::bind(&addr).map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let url = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
            println!("Thân Thiện đang chạy tại / is running at {url}");
            println!("Tài liệu API / API docs: {url}/api/docs/");
            if demo {
                println!("Dữ liệu mẫu / demo data — mật khẩu / password: {}", thanthien::demo::DEMO_PASSWORD);
                println!("  tài khoản / accounts: admin, bdh, ubnd, mttq, thon1 … thon6, tinh");
            }
            let _ = std::io::stdout().flush();
            let last = state.clone();
            actix_web::rt::System::new()
                .block_on(async move { thanthien::start_server(state, listener)?.await })
                .map_err(|e| e.to_string())?;
            // At shutdown: the audit chains' heads, signed, for `verify-audit` to hold them to.
            if let Err(e) = thanthien::write_audit_checkpoint(&last) {
                tracing::warn!(error = %e, "audit checkpoint at shutdown failed");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Healthcheck { port, timeout } => {
            let port = port.unwrap_or(config.server.port);
            match probe_ready(port, std::time::Duration::from_secs(timeout.max(1))) {
                Ok(()) => {
                    println!("ready");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("not ready: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Migrate => {
            init_logging(&config);
            thanthien::prepare(config)?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::SeedDemo => {
            init_logging(&config);
            config.demo.enabled = false;
            let state = thanthien::prepare(config)?;
            let hash =
                thanthien::auth::password::hash_password(thanthien::demo::DEMO_PASSWORD).map_err(|e| e.to_string())?;
            let mut conn = state.pool.get().map_err(|e| e.to_string())?;
            let seeded = thanthien::demo::seed(&mut conn, &hash).map_err(|e| e.to_string())?;
            if seeded.commune {
                println!("demo commune seeded");
            } else {
                println!("database already has a commune: nothing seeded");
            }
            if seeded.procedures {
                println!("demo procedure catalogue seeded");
            }
            if seeded.plan {
                println!("demo plan 2023 seeded");
            }
            if seeded.disclosures {
                println!("demo disclosures seeded");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::CreateAdmin { username, full_name, commune, province } => {
            init_logging(&config);
            let password = match std::env::var("THANTHIEN_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    if std::io::stdin().is_terminal() {
                        eprint!("Mật khẩu / password: ");
                    }
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
                    line.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let username = thanthien::auth::service::normalise_username(&username);
            let mut v = thanthien::error::Validator::new();
            let ctx = thanthien::auth::password::PasswordContext { username: &username, commune_name: Some(&commune) };
            thanthien::auth::password::check_new_password(&mut v, "password", &password, ctx);
            if let Err(thanthien::error::AppError::Validation(errs)) = v.finish() {
                return Err(errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "));
            }
            let state = thanthien::prepare(config)?;
            let hash = thanthien::auth::password::hash_password(&password).map_err(|e| e.to_string())?;
            let mut conn = state.pool.get().map_err(|e| e.to_string())?;
            let (id, created) =
                thanthien::org::service::create_admin(&mut conn, &province, &commune, &username, &full_name, &hash)
                    .map_err(|e| e.to_string())?;
            println!(
                "{} admin {username} (id {id}) of xã {commune}, {province}",
                if created { "created" } else { "reset" }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyAudit => {
            let url = config.database_url();
            let pool =
                thanthien::db::connect(&url, 1, std::time::Duration::from_secs(config.database.connect_timeout_secs))?;
            let keys = thanthien::auth::tokens::KeyRing::load(&config.auth, &config.server.data_dir)
                .map_err(|e| e.to_string())?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let verdict = thanthien::audit::checkpoint::verify(&mut conn, &config.server.data_dir, |kid| {
                keys.checkpoint_key_of(kid).copied()
            });
            match verdict {
                Ok(thanthien::audit::checkpoint::Verdict::Intact { entries, checkpoint }) => {
                    match checkpoint {
                        Some(at) => println!(
                            "audit log intact: {entries} entries verified; every entry of the signed checkpoint of {at} is there"
                        ),
                        None => println!("audit log intact: {entries} entries verified (no signed checkpoint yet)"),
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Ok(thanthien::audit::checkpoint::Verdict::Broken(b)) => {
                    println!(
                        "audit log BROKEN: chain {}, entry seq {}{}: {}",
                        b.chain_id,
                        b.seq,
                        b.id.map(|id| format!(" (id {id})")).unwrap_or_default(),
                        b.reason
                    );
                    Ok(ExitCode::from(1))
                }
                Err(e) => {
                    println!("audit log NOT VERIFIED: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::AuditCheckpoint => {
            let state = thanthien::prepare(config)?;
            let cp = thanthien::write_audit_checkpoint(&state)?;
            println!("{}", serde_json::to_string_pretty(&cp).map_err(|e| e.to_string())?);
            Ok(ExitCode::SUCCESS)
        }
        Command::ImportPlan { file, commune, status } => {
            init_logging(&config);
            config.demo.enabled = false;
            let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let state = thanthien::prepare(config)?;
            let mut conn = state.pool.get().map_err(|e| e.to_string())?;
            println!("{}", thanthien::plans::import::import_cli(&mut conn, &bytes, commune.as_deref(), &status)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::GenDemoDossiers { communes, dossiers, from, to, seed } => {
            use chrono::Datelike;
            init_logging(&config);
            config.demo.enabled = true;
            let t0 = Instant::now();
            let now = chrono::Utc::now().naive_utc();
            let today = thanthien::time::to_local(now).date();
            let from = from.or_else(|| chrono::NaiveDate::from_ymd_opt(today.year() - 1, 1, 1)).unwrap_or(today);
            let opts =
                thanthien::demo::generate::GenOptions { communes, dossiers, from, to: to.unwrap_or(today), seed };
            let state = thanthien::prepare(config)?;
            let hash =
                thanthien::auth::password::hash_password(thanthien::demo::DEMO_PASSWORD).map_err(|e| e.to_string())?;
            let mut conn = state.pool.get().map_err(|e| e.to_string())?;
            println!(
                "generating {dossiers} dossiers in {communes} communes, received {} to {}, seed {seed}",
                opts.from, opts.to
            );
            let started = Instant::now();
            let mut next_report = 100_000;
            let summary = thanthien::demo::generate::generate(&mut conn, &hash, &opts, now, &mut |done, events| {
                if done >= next_report {
                    println!("  {done} dossiers, {events} events, {:.1} s", started.elapsed().as_secs_f64());
                    let _ = std::io::stdout().flush();
                    next_report = (done / 100_000 + 1) * 100_000;
                }
            })
            .map_err(|e| e.to_string())?;
            for c in &summary.communes {
                println!("commune\t{}\t{}\t{}\t{}", c.id, c.username, c.dossiers, c.name);
            }
            let secs = started.elapsed().as_secs_f64();
            println!(
                "generated {} dossiers and {} events in {} communes in {secs:.1} s ({:.0} dossiers/s; {:.1} s in all)",
                summary.dossiers,
                summary.events,
                summary.communes.len(),
                summary.dossiers as f64 / secs.max(1e-9),
                t0.elapsed().as_secs_f64()
            );
            println!(
                "sign in as ubnd-<n> or bdh-<n> (a generated commune) or tinh (the province), password {}",
                thanthien::demo::DEMO_PASSWORD
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyRollups => {
            let url = config.database_url();
            let pool =
                thanthien::db::connect(&url, 1, std::time::Duration::from_secs(config.database.connect_timeout_secs))?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let t0 = Instant::now();
            let check = thanthien::onestop::rollups::service::verify(&mut conn).map_err(|e| e.to_string())?;
            for e in &check.examples {
                println!("  {e}");
            }
            if check.differences == 0 {
                println!(
                    "roll-ups intact: {} rows and {} histogram entries equal their recomputation from the dossiers ({:.1} s)",
                    check.rows,
                    check.minutes,
                    t0.elapsed().as_secs_f64()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "roll-ups DIFFER from the dossiers: {} of {} rows and {} histogram entries; run `thanthien rebuild-rollups`",
                    check.differences, check.rows, check.minutes
                );
                Ok(ExitCode::from(1))
            }
        }
        Command::RebuildRollups => {
            let state = thanthien::prepare(config)?;
            let mut conn = state.pool.get().map_err(|e| e.to_string())?;
            let t0 = Instant::now();
            let (rows, minutes) =
                thanthien::onestop::rollups::service::rebuild(&mut conn).map_err(|e| e.to_string())?;
            println!(
                "roll-ups rebuilt: {rows} rows and {minutes} histogram entries in {:.1} s",
                t0.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::RotateSigningKey => {
            if !config.auth.signing_keys.is_empty() {
                return Err("signing keys come from configuration; rotate them there".into());
            }
            let kid = thanthien::auth::tokens::rotate_key_file(&config.server.data_dir.join("signing-keys.json"))
                .map_err(|e| e.to_string())?;
            println!("new signing key {kid}; restart the server to sign with it");
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { dest } => {
            let m = thanthien::backup::create(&config, &dest)?;
            let bytes: u64 = m.entries.iter().map(|e| e.size).sum();
            println!("backup written to {}: {} parts, {bytes} bytes ({})", dest.display(), m.entries.len(), m.engine);
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { archive, data_dir } => {
            let url = cli_database_url.as_deref().filter(|u| u.starts_with("postgres"));
            let m = thanthien::backup::restore(&archive, &data_dir, url)?;
            println!(
                "restored {} parts of the backup of {} into {}; run `thanthien verify-audit` against it",
                m.entries.len(),
                m.created_at,
                data_dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::VerifyBackup { archive } => {
            let m = thanthien::backup::verify(&archive)?;
            println!(
                "backup intact: {} parts of {} ({}) match their checksums",
                m.entries.len(),
                m.created_at,
                m.engine
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

//! Layered configuration: defaults in code < optional TOML file < `THANTHIEN__SECTION__KEY`
//! environment variables (and `DATABASE_URL`). Secrets are never printed: `Config` has a
//! redacting `Debug`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything the server can be configured with.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub demo: DemoConfig,
    pub log: LogConfig,
    pub security: SecurityConfig,
    pub storage: StorageConfig,
    pub integration: IntegrationConfig,
    pub smtp: SmtpConfig,
    pub scheduler: SchedulerConfig,
}

/// Other systems' door: signed event delivery and key use retention.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntegrationConfig {
    /// How often the delivery task looks for due events (0 turns delivery off).
    pub webhook_poll_ms: u64,
    /// The first retry waits this long, each next one twice as long (at most 6 h).
    pub webhook_retry_base_secs: u64,
    /// A receiver that has not answered in this time has failed the attempt.
    pub webhook_timeout_secs: u64,
    /// Consecutive failed attempts after which a subscription is turned off.
    pub webhook_max_failures: i32,
    /// A delivery still failing this long after its event is given up.
    pub webhook_give_up_hours: i64,
    /// Allow targets on loopback and private networks (tests, a relay on the same host).
    pub webhook_allow_private_targets: bool,
    /// Keys' use counters older than this are deleted (by a task that runs hourly).
    pub usage_retention_days: i64,
}

impl Default for IntegrationConfig {
    fn default() -> Self {
        Self {
            webhook_poll_ms: 2000,
            webhook_retry_base_secs: 30,
            webhook_timeout_secs: 10,
            webhook_max_failures: 10,
            webhook_give_up_hours: 24,
            webhook_allow_private_targets: false,
            usage_retention_days: 400,
        }
    }
}

/// The mail relay for digests and reminders (`notifications::mail`). No host: no e-mail
/// (notifications stay in the app). The password comes from the environment
/// (`THANTHIEN__SMTP__PASSWORD`), never from a file in the repository. Plain SMTP only (no
/// STARTTLS): use a local relay for TLS onwards.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: Option<String>,
    pub port: u16,
    /// The sender address, e.g. `nhacviec@binhluong.gov.vn`.
    pub from: String,
    pub user: Option<String>,
    pub password: Option<String>,
    pub timeout_secs: u64,
    /// The web app's address as people open it, for the links in e-mails (e.g.
    /// `https://thanthien.binhluong.gov.vn`); without it the e-mails carry paths only.
    pub app_url: Option<String>,
}

impl SmtpConfig {
    /// Whether the server can send e-mail at all (a relay is named).
    pub fn configured(&self) -> bool {
        self.host.as_deref().is_some_and(|h| !h.trim().is_empty())
    }
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: None,
            port: 25,
            from: "thanthien@localhost.localdomain".into(),
            user: None,
            password: None,
            timeout_secs: 20,
            app_url: None,
        }
    }
}

/// Where evidence files live (read by the blob store module, which depends on this one).
/// `local` (default): `<data_dir>/files`. `s3`: an S3-compatible bucket, so several app
/// servers share the files. Keep the secret key in the
/// environment (`THANTHIEN__STORAGE__SECRET_ACCESS_KEY`), not in a file.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// `local` or `s3`.
    pub backend: String,
    /// `https://s3.example.vn` or `http://127.0.0.1:9000` (s3 only).
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Key prefix inside the bucket.
    pub prefix: String,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            backend: "local".into(),
            endpoint: String::new(),
            bucket: String::new(),
            region: "us-east-1".into(),
            access_key_id: String::new(),
            secret_access_key: String::new(),
            prefix: "files/".into(),
        }
    }
}

/// The background scheduler (`scheduler`): reminder scans and the daily digest.
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SchedulerConfig {
    pub enabled: bool,
    /// How often each instance looks for due jobs.
    pub tick_secs: u64,
    /// Local hour (UTC+7) of the daily digest.
    pub digest_hour: u32,
    /// Minutes between two reminder scans.
    pub scan_every_minutes: u32,
    /// Minutes between two scans for overdue signed events (dossier late, petition and task
    /// overdue).
    pub events_every_minutes: u32,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self { enabled: true, tick_secs: 60, digest_hour: 7, scan_every_minutes: 60, events_every_minutes: 5 }
    }
}

#[derive(Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityConfig {
    /// The key that seals denouncers' identities (base64url of 32 bytes). When absent the
    /// server keeps one in `<data_dir>/identity-key` (mode 0600) — never in the database.
    pub identity_key: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on; loopback unless deliberately opened.
    pub bind: String,
    pub port: u16,
    /// Where the SQLite file, signing keys and uploaded files live.
    pub data_dir: PathBuf,
    /// Serve the SPA from this folder instead of the copy embedded in the binary (development).
    pub web_dir: Option<PathBuf>,
    /// HTTP worker threads; 0 = one per core.
    pub workers: usize,
    /// Peers whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (a reverse proxy).
    pub trusted_proxies: Vec<String>,
    /// Largest JSON body accepted, in bytes.
    pub max_json_bytes: usize,
    /// Largest evidence file accepted (photo or PDF), in bytes.
    pub max_upload_bytes: usize,
    /// Bytes of uploads all requests may have in flight at once (streamed to temporary files
    /// under `<data_dir>/uploads/`), in MiB; past it an upload is refused with 503
    /// `uploads_busy` and `Retry-After`.
    pub upload_budget_mb: usize,
    /// Memory for read views already built (`read_cache`: plan overviews and task pages, the
    /// disclosure and activity lists), in MiB; 0 turns the cache off. Every read still checks
    /// the plan's or the commune's revision in the database.
    pub read_cache_mb: usize,
    /// A client must send its request line and headers within this many seconds (else 408).
    pub request_head_timeout_secs: u64,
    /// A request body with no byte for this many seconds is cut off with 408.
    pub body_idle_timeout_secs: u64,
    /// A request body must have arrived within this many seconds (10 MB at ~35 KB/s).
    pub body_timeout_secs: u64,
    /// After its first `body_idle_timeout_secs`, a body slower than this average (bytes per
    /// second) is cut off with 408: a client trickling a byte every few seconds. 0 = no check.
    pub body_min_bytes_per_sec: u64,
    /// A signed checkpoint of every audit chain's head is appended to
    /// `<data_dir>/audit-checkpoints.jsonl` this often (and at shutdown); 0 = only at shutdown.
    pub audit_checkpoint_secs: u64,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`. Empty = `sqlite://<data_dir>/thanthien.db`.
    pub url: String,
    pub pool_size: u32,
    /// How long start-up waits for the database before giving up with a clear error.
    pub connect_timeout_secs: u64,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    pub issuer: String,
    pub audience: String,
    /// Access-token lifetime; at most 15 minutes.
    pub access_token_minutes: i64,
    /// A refresh token unused for this long expires.
    pub refresh_token_days: i64,
    /// A session ends after this long whatever happens.
    pub session_max_days: i64,
    /// `Secure` flag on the refresh cookie; unset = follow the request scheme.
    pub cookie_secure: Option<bool>,
    pub login_window_minutes: i64,
    /// Failures per (client address, username) in the window before 429.
    pub login_max_failures_per_user: i64,
    /// Failures per client address (all usernames) in the window before 429.
    pub login_max_failures_per_ip: i64,
    /// Signing keys given by configuration (base64url secrets, newest last). When empty the
    /// server keeps a key ring in `<data_dir>/signing-keys.json` (mode 0600).
    pub signing_keys: Vec<SigningKeyConfig>,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningKeyConfig {
    pub kid: String,
    pub secret: String,
}

#[derive(Clone, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct DemoConfig {
    /// Seed the demo commune into an empty database and show the demo badge.
    pub enabled: bool,
    /// With `enabled`: make the demo commune live as of the day it starts (`demo::living`: the
    /// 2023 plan finished, this year's plan rolled over from it and reported on, a year of
    /// dossiers). `serve --demo` turns it on.
    pub living: bool,
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `text` or `json`.
    pub format: String,
    /// A tracing filter such as `info` or `thanthien=debug,actix_web=info`.
    pub level: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1".into(),
            port: 8080,
            data_dir: PathBuf::from("data"),
            web_dir: None,
            workers: 0,
            trusted_proxies: Vec::new(),
            max_json_bytes: 256 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
            upload_budget_mb: 512,
            read_cache_mb: 64,
            request_head_timeout_secs: 10,
            body_idle_timeout_secs: 15,
            body_timeout_secs: 300,
            body_min_bytes_per_sec: 256,
            audit_checkpoint_secs: 300,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self { url: String::new(), pool_size: 8, connect_timeout_secs: 5 }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            issuer: "thanthien".into(),
            audience: "thanthien-api".into(),
            access_token_minutes: 10,
            refresh_token_days: 14,
            session_max_days: 30,
            cookie_secure: None,
            login_window_minutes: 15,
            login_max_failures_per_user: 10,
            login_max_failures_per_ip: 30,
            signing_keys: Vec::new(),
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self { format: "text".into(), level: "info".into() }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("bind", &self.server.bind)
            .field("port", &self.server.port)
            .field("data_dir", &self.server.data_dir)
            .field("database", &redact_url(&self.database_url()))
            .field("demo", &self.demo.enabled)
            .field("signing_keys", &self.auth.signing_keys.len())
            .field("storage", &self.storage.backend)
            .finish_non_exhaustive()
    }
}

/// Why configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is not valid TOML: {source}")]
    Toml { path: PathBuf, source: toml::de::Error },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

impl Config {
    /// Loads defaults, then `file` (if any), then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let env: Vec<(String, String)> = std::env::vars().collect();
        Self::load_from(file, &env)
    }

    /// Same as [`Config::load`] with an explicit environment (for tests).
    pub fn load_from(file: Option<&Path>, env: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut tree = serde_json::to_value(Config::default()).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
            let parsed: toml::Table =
                toml::from_str(&text).map_err(|source| ConfigError::Toml { path: path.to_path_buf(), source })?;
            let value = serde_json::to_value(parsed).map_err(|e| ConfigError::Invalid(e.to_string()))?;
            merge(&mut tree, value);
        }
        for (key, raw) in env {
            if key == "DATABASE_URL" {
                set_path(&mut tree, &["database", "url"], Value::String(raw.clone()))?;
                continue;
            }
            let Some(rest) = key.strip_prefix("THANTHIEN__") else { continue };
            let path: Vec<String> = rest.split("__").map(|s| s.to_ascii_lowercase()).collect();
            let refs: Vec<&str> = path.iter().map(String::as_str).collect();
            let current = lookup(&tree, &refs);
            let value = env_value(current, raw);
            set_path(&mut tree, &refs, value)?;
        }
        let config: Config = serde_json::from_value(tree).map_err(|e| ConfigError::Invalid(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=15).contains(&self.auth.access_token_minutes) {
            return Err(ConfigError::Invalid("auth.access_token_minutes must be 1–15".into()));
        }
        if self.auth.refresh_token_days < 1 || self.auth.session_max_days < 1 {
            return Err(ConfigError::Invalid("refresh and session lifetimes must be ≥ 1 day".into()));
        }
        if let Some(bad) = self.server.trusted_proxies.iter().find(|p| p.parse::<std::net::IpAddr>().is_err()) {
            return Err(ConfigError::Invalid(format!("server.trusted_proxies: {bad} is not an IP address")));
        }
        if self.server.upload_budget_mb == 0 {
            return Err(ConfigError::Invalid("server.upload_budget_mb must be ≥ 1".into()));
        }
        if self.server.max_upload_bytes < 1024 {
            return Err(ConfigError::Invalid("server.max_upload_bytes must be ≥ 1024".into()));
        }
        if self.server.request_head_timeout_secs == 0
            || self.server.body_idle_timeout_secs == 0
            || self.server.body_timeout_secs < self.server.body_idle_timeout_secs
        {
            return Err(ConfigError::Invalid(
                "server.request_head_timeout_secs and server.body_idle_timeout_secs must be ≥ 1, \
                 server.body_timeout_secs ≥ server.body_idle_timeout_secs"
                    .into(),
            ));
        }
        if self.database.pool_size == 0 {
            return Err(ConfigError::Invalid("database.pool_size must be ≥ 1".into()));
        }
        if !matches!(self.storage.backend.as_str(), "local" | "s3") {
            return Err(ConfigError::Invalid("storage.backend must be local or s3".into()));
        }
        // A bucket is how several app servers share files: they must share the keys too, or a
        // token signed by one is refused by the next and identities sealed by one cannot be
        // opened by another. Keys generated into each server's data directory would do that.
        if self.storage.backend == "s3"
            && (self.auth.signing_keys.is_empty() || self.security.identity_key.as_deref().is_none_or(str::is_empty))
        {
            return Err(ConfigError::Invalid(
                "storage.backend = \"s3\" (shared files for several app servers) needs the keys every server \
                 shares in the configuration: auth.signing_keys and security.identity_key (docs/scaling.md)"
                    .into(),
            ));
        }
        if self.scheduler.digest_hour > 23
            || self.scheduler.scan_every_minutes == 0
            || self.scheduler.events_every_minutes == 0
            || self.scheduler.tick_secs == 0
        {
            return Err(ConfigError::Invalid(
                "scheduler.digest_hour must be 0–23, scheduler.scan_every_minutes, events_every_minutes and tick_secs ≥ 1".into(),
            ));
        }
        if !matches!(self.log.format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid("log.format must be text or json".into()));
        }
        Ok(())
    }

    /// The database URL in force: configured, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.is_empty() {
            format!("sqlite://{}", self.server.data_dir.join("thanthien.db").display())
        } else {
            self.database.url.clone()
        }
    }
}

/// Hides the password part of a database URL for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}://{}:***{}", &url[..scheme_end], &creds[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                merge(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}

fn lookup<'a>(tree: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(tree, |node, key| node.get(key))
}

fn set_path(tree: &mut Value, path: &[&str], value: Value) -> Result<(), ConfigError> {
    let mut node = tree;
    for (i, key) in path.iter().enumerate() {
        let Value::Object(map) = node else {
            return Err(ConfigError::Invalid(format!("{} is not a section", path[..i].join("."))));
        };
        if i + 1 == path.len() {
            map.insert((*key).to_string(), value);
            return Ok(());
        }
        node = map.entry((*key).to_string()).or_insert_with(|| Value::Object(Default::default()));
    }
    Ok(())
}

/// Interprets an environment string by the type of the setting it overrides.
fn env_value(current: Option<&Value>, raw: &str) -> Value {
    match current {
        Some(Value::Bool(_)) => raw.parse::<bool>().map(Value::Bool).unwrap_or_else(|_| Value::String(raw.into())),
        Some(Value::Number(_)) => raw
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| raw.parse::<f64>().map(Value::from))
            .unwrap_or_else(|_| Value::String(raw.into())),
        Some(Value::Array(_)) => {
            if raw.trim_start().starts_with('[') {
                serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.into()))
            } else {
                Value::Array(
                    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.into())).collect(),
                )
            }
        }
        // Optional settings (`null` by default) accept booleans and numbers too.
        Some(Value::Null) | None => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(raw.into()),
        },
        _ => Value::String(raw.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_file_and_defaults() {
        let dir = std::env::temp_dir().join(format!("tt-config-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("c.toml");
        std::fs::write(&file, "[server]\nport = 9000\nbind = \"0.0.0.0\"\n[demo]\nenabled = true\n").unwrap();
        let env = vec![
            ("THANTHIEN__SERVER__PORT".to_string(), "9100".to_string()),
            ("THANTHIEN__SERVER__TRUSTED_PROXIES".to_string(), "127.0.0.1, 10.0.0.1".to_string()),
            ("THANTHIEN__AUTH__COOKIE_SECURE".to_string(), "true".to_string()),
            ("DATABASE_URL".to_string(), "postgres://u:secret@h/db".to_string()),
        ];
        let c = Config::load_from(Some(&file), &env).unwrap();
        assert_eq!(c.server.port, 9100);
        assert_eq!(c.server.bind, "0.0.0.0");
        assert!(c.demo.enabled);
        assert_eq!(c.server.trusted_proxies, vec!["127.0.0.1", "10.0.0.1"]);
        assert_eq!(c.auth.cookie_secure, Some(true));
        assert_eq!(c.database_url(), "postgres://u:secret@h/db");
        assert!(!format!("{c:?}").contains("secret"), "Debug must not print the password");
    }

    #[test]
    fn defaults_are_loopback_and_sqlite() {
        let c = Config::load_from(None, &[]).unwrap();
        assert_eq!(c.server.bind, "127.0.0.1");
        assert!(c.database_url().starts_with("sqlite://"));
        assert!(!c.demo.enabled);
    }

    #[test]
    fn rejects_long_access_tokens_and_unknown_keys() {
        let env = vec![("THANTHIEN__AUTH__ACCESS_TOKEN_MINUTES".to_string(), "60".to_string())];
        assert!(Config::load_from(None, &env).is_err());
        let env = vec![("THANTHIEN__SERVER__PROT".to_string(), "1".to_string())];
        assert!(Config::load_from(None, &env).is_err());
        let env = vec![("THANTHIEN__SERVER__TRUSTED_PROXIES".to_string(), "proxy.local".to_string())];
        assert!(Config::load_from(None, &env).is_err(), "a proxy must be an address");
    }

    #[test]
    fn a_shared_bucket_needs_shared_keys() {
        let e = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let s3 = [("THANTHIEN__STORAGE__BACKEND", "s3"), ("THANTHIEN__STORAGE__ENDPOINT", "http://127.0.0.1:9000")];
        let err = Config::load_from(None, &e(&s3)).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("auth.signing_keys") && err.contains("security.identity_key"), "{err}");
        let mut with_keys = s3.to_vec();
        with_keys.push((
            "THANTHIEN__AUTH__SIGNING_KEYS",
            r#"[{"kid":"k1","secret":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I"}]"#,
        ));
        with_keys.push(("THANTHIEN__SECURITY__IDENTITY_KEY", ""));
        assert!(Config::load_from(None, &e(&with_keys)).is_err(), "an empty identity key is no key");
        with_keys.pop();
        with_keys.push(("THANTHIEN__SECURITY__IDENTITY_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        let c = Config::load_from(None, &e(&with_keys)).expect("s3 with shared keys");
        assert_eq!(c.storage.backend, "s3");
        assert!(!format!("{c:?}").contains("c2VjcmV0"), "no secret in Debug");
        assert!(Config::load_from(None, &e(&[("THANTHIEN__STORAGE__BACKEND", "ftp")])).is_err());
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(redact_url("postgres://u:pw@h:5432/d"), "postgres://u:***@h:5432/d");
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}

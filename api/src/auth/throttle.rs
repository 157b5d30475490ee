//! What keeps guessing slow and cheap for the server: the sign-in throttle (attempts reserved
//! before the password is checked, so concurrent guesses count), the gate on argon2 hashing
//! (at most one hash per core at a time), and the client key that counts an IPv6 client by
//! its /64 network.

use std::net::IpAddr;
use std::sync::OnceLock;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime};

use super::{password, repo};
use crate::config::AuthConfig;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

/// How long a request waits for a free hashing slot before it is told to come back.
pub const HASH_WAIT: StdDuration = StdDuration::from_secs(3);
/// The `Retry-After` given when no hashing slot came free in time.
pub const HASH_BUSY_RETRY_SECS: u64 = 2;

/// The key a client is counted under: its address, or for IPv6 its /64 network (one
/// subscriber usually holds a whole /64, so per-address limits would mean nothing). An IPv4
/// address mapped into IPv6 counts as the IPv4 address. Anything unparsable stays as given.
pub fn client_key(ip: &str) -> String {
    match ip.trim().parse::<IpAddr>() {
        Ok(IpAddr::V4(v4)) => v4.to_string(),
        Ok(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
        Err(_) => ip.trim().to_string(),
    }
}

/// Bounds how many password hashes run at once, and where: each argon2id hash holds 19 MiB
/// for tens of milliseconds, and 40 concurrent sign-ins took the server from 58 to 763 MB.
/// Hashes run on a fixed set of threads, one per slot: run on the runtime's blocking pool, each
/// of its many threads kept its own 19 MiB in the allocator after a hash (40 wrong passwords
/// through a 2-slot gate still left 691 MB), while a fixed set keeps at most one per slot.
/// Callers beyond the bound wait (first come, first served, without holding a thread) for at
/// most `wait`, then get `rate_limited` with a short `Retry-After`.
pub struct HashGate {
    permits: tokio::sync::Semaphore,
    wait: StdDuration,
    jobs: std::sync::Mutex<std::sync::mpsc::Sender<Job>>,
}

type Job = Box<dyn FnOnce() + Send>;

impl HashGate {
    pub fn new(slots: usize, wait: StdDuration) -> HashGate {
        let slots = slots.max(1);
        let (tx, rx) = std::sync::mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..slots {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("hash-{i}")).spawn(move || {
                loop {
                    // The lock is held only to take the next job, never while it runs.
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a hashing thread");
            }
        }
        HashGate { permits: tokio::sync::Semaphore::new(slots), wait, jobs: std::sync::Mutex::new(tx) }
    }

    /// How many hashes may run at once now.
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }

    /// Runs `f` (a hash) on a hashing thread once a slot is free.
    pub async fn run<T: Send + 'static>(&self, f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
        let busy = AppError::RateLimited { retry_after_secs: HASH_BUSY_RETRY_SECS };
        let permit = match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) | Err(_) => return Err(busy),
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(f());
        });
        self.jobs
            .lock()
            .map_err(|_| AppError::Internal("hashing threads unavailable".into()))?
            .send(job)
            .map_err(|_| AppError::Internal("hashing threads stopped".into()))?;
        let result = rx.await.map_err(|_| AppError::Internal("hashing thread failed".into()))?;
        drop(permit);
        result
    }
}

/// The process's hashing gate: one slot per core.
pub fn hash_gate() -> &'static HashGate {
    static GATE: OnceLock<HashGate> = OnceLock::new();
    GATE.get_or_init(|| {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        HashGate::new(cores, HASH_WAIT)
    })
}

/// Hashes a new password through the gate.
pub async fn hash_password(plain: String) -> AppResult<String> {
    hash_gate().run(move || password::hash_password(&plain)).await
}

/// Checks a password through the gate; without a stored hash (unknown user) it does the same
/// work against a dummy hash and answers `false`.
pub async fn verify_password(plain: String, stored: Option<String>) -> AppResult<bool> {
    hash_gate()
        .run(move || match stored {
            Some(h) => password::verify_password(&plain, &h),
            None => password::verify_password(&plain, password::dummy_hash()).map(|_| false),
        })
        .await
}

/// Reserves one password check for `username` from `key`, or answers 429 when the client has
/// used up its tries. The reservation is a failed attempt until [`repo::mark_attempt_succeeded`]
/// turns it into a success, so checks still in flight count towards the limit: 40 concurrent
/// wrong passwords give at most `login_max_failures_per_user` checks. The decision is taken
/// under a lock on the client key (`repo::lock_throttle_key`), so two requests cannot both
/// take the last try.
pub fn reserve_attempt(
    cfg: &AuthConfig,
    conn: &mut DbConnection,
    key: &str,
    username: &str,
    now: NaiveDateTime,
) -> AppResult<i64> {
    write_tx(conn, |conn| {
        repo::lock_throttle_key(conn, key)?;
        let window = Duration::minutes(cfg.login_window_minutes);
        let ((user_fails, user_oldest), (ip_fails, ip_oldest)) =
            repo::failures_since(conn, key, username, now - window)?;
        let retry = |oldest: Option<NaiveDateTime>| {
            let until = oldest.unwrap_or(now) + window;
            (until - now).num_seconds().max(1) as u64
        };
        if user_fails >= cfg.login_max_failures_per_user {
            return Err(AppError::RateLimited { retry_after_secs: retry(user_oldest) });
        }
        if ip_fails >= cfg.login_max_failures_per_ip {
            return Err(AppError::RateLimited { retry_after_secs: retry(ip_oldest) });
        }
        Ok(repo::reserve_attempt(conn, key, username, now)?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_per_64() {
        assert_eq!(client_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
        assert_eq!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:2:ffff::9"));
        assert_ne!(client_key("2001:db8:1:2::1"), client_key("2001:db8:1:3::1"));
        assert_eq!(client_key("::ffff:10.1.2.3"), "10.1.2.3");
        assert_eq!(client_key("10.1.2.3"), "10.1.2.3");
        assert_eq!(client_key("unknown"), "unknown");
    }

    #[test]
    fn the_gate_bounds_concurrent_hashes_and_turns_away_what_waits_too_long() {
        actix_web::rt::System::new().block_on(async {
            let gate = std::sync::Arc::new(HashGate::new(1, StdDuration::from_millis(50)));
            let (started_tx, started_rx) = std::sync::mpsc::channel();
            let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
            let holder = {
                let gate = gate.clone();
                actix_web::rt::spawn(async move {
                    gate.run(move || {
                        let _ = started_tx.send(());
                        let _ = release_rx.recv();
                        Ok(1)
                    })
                    .await
                })
            };
            // Wait until the first hash holds the only slot (a condition, not a delay).
            crate::blocking::run(move || started_rx.recv().map_err(|e| AppError::Internal(e.to_string())))
                .await
                .unwrap();
            assert_eq!(gate.available(), 0);
            let refused = gate.run(|| Ok(2)).await;
            assert!(matches!(refused, Err(AppError::RateLimited { retry_after_secs: HASH_BUSY_RETRY_SECS })));
            release_tx.send(()).unwrap();
            assert_eq!(holder.await.unwrap().unwrap(), 1);
            assert_eq!(gate.run(|| Ok(3)).await.unwrap(), 3, "a free slot serves at once");
        });
    }
}

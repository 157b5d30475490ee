//! What the benchmarks share: a server started in this process on a database of their choice,
//! signing in, and percentiles. Each benchmark uses part of it.

#![allow(dead_code)]

use std::net::TcpListener;

use serde_json::{Value, json};
use thanthien::config::Config;
use thanthien::state::AppState;

/// The configuration of a benchmark's server: `url`'s database, files under `data_dir`, the
/// demo commune, warnings only in the log.
pub fn config(url: &str, data_dir: &std::path::Path) -> Config {
    let mut config = Config::load_from(None, &[]).expect("config");
    config.server.data_dir = data_dir.to_path_buf();
    config.database.url = url.to_string();
    config.demo.enabled = true;
    config.log.level = std::env::var("BENCH_LOG").unwrap_or_else(|_| "warn".into());
    config
}

/// A server running in this process on 127.0.0.1.
pub struct Server {
    pub base: String,
    handle: actix_web::dev::ServerHandle,
    thread: std::thread::JoinHandle<()>,
}

impl Server {
    /// Serves `state` on a free port of 127.0.0.1, on a thread of its own.
    pub fn start(state: AppState) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let server = thanthien::start_server(state, listener).expect("start");
                let _ = tx.send(server.handle());
                let _ = server.await;
            });
        });
        Server { base, handle: rx.recv().expect("server handle"), thread }
    }

    /// Stops the server gracefully and waits for its thread.
    pub fn stop(self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        let _ = self.thread.join();
    }
}

/// The access token of demo user `username`.
pub fn login(client: &reqwest::blocking::Client, base: &str, username: &str) -> String {
    let r: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "username": username, "password": thanthien::demo::DEMO_PASSWORD }))
        .send()
        .expect("login request")
        .json()
        .expect("login answer");
    r["access_token"].as_str().unwrap_or_else(|| panic!("login {username}: {r}")).to_string()
}

/// The `p`-th percentile of sorted samples (nearest rank).
pub fn pct(sorted: &[f64], p: f64) -> f64 {
    let k = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

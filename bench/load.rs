//! A small closed-loop HTTP/1.1 load generator for the benchmarks (std only; `bench/plans.py`
//! compiles it with `rustc -O`): N threads, one kept-alive connection each, GET requests read
//! from standard input as `kind path` lines (or `kind PATCH path json` / `kind POST path json` for a write), dealt
//! round-robin to the threads. Prints one `kind status milliseconds` line per request.
//! 127.0.0.1 only.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};
use std::time::Instant;

fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<u16> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        let lower = l.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            let mut buf = vec![0; size + 2];
            r.read_exact(&mut buf)?;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut buf = vec![0; length];
        r.read_exact(&mut buf)?;
    }
    Ok(status)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: load PORT TOKEN CLIENTS < requests");
        std::process::exit(2);
    }
    let port: u16 = args[1].parse().expect("port");
    let token = args[2].clone();
    let clients: usize = args[3].parse().expect("clients");
    let mut work: Vec<Vec<(String, String)>> = vec![Vec::new(); clients];
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.expect("stdin");
        if let Some((kind, path)) = line.split_once(' ') {
            work[i % clients].push((kind.to_string(), path.to_string()));
        }
    }
    let barrier = Arc::new(Barrier::new(clients));
    let threads: Vec<_> = work
        .into_iter()
        .map(|jobs| {
            let (barrier, token) = (barrier.clone(), token.clone());
            std::thread::spawn(move || {
                let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                let mut out = Vec::with_capacity(jobs.len());
                barrier.wait();
                for (kind, request) in jobs {
                    let write = ["PATCH", "POST"].into_iter().find_map(|m| {
                        request.strip_prefix(m).and_then(|r| r.strip_prefix(' ')?.split_once(' ')).map(|(p, b)| (m, p, b))
                    });
                    let (method, path, body) = write.unwrap_or(("GET", request.as_str(), ""));
                    let content = if body.is_empty() {
                        String::new()
                    } else {
                        format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len())
                    };
                    let t0 = Instant::now();
                    write!(
                        writer,
                        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n{content}\r\n{body}"
                    )
                    .expect("write");
                    let status = read_response(&mut reader).expect("read");
                    out.push((kind, status, t0.elapsed().as_secs_f64() * 1000.0));
                }
                out
            })
        })
        .collect();
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for t in threads {
        for (kind, status, ms) in t.join().expect("thread") {
            writeln!(w, "{kind} {status} {ms:.4}").expect("stdout");
        }
    }
}

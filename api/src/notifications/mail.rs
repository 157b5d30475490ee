//! A small SMTP client (RFC 5321): EHLO, optional AUTH PLAIN, MAIL FROM, RCPT TO, DATA,
//! QUIT, over plain TCP. The message is UTF-8 text, base64-encoded (subject as an RFC 2047
//! encoded word), so Vietnamese arrives intact through any relay without 8BITMIME.
//!
//! Why hand-written and not `lettre`: the server sends one kind of message (a plain-text
//! digest) to a relay it is configured with; the whole exchange is a dozen lines, and it
//! adds no crate to build on the 2-core machines this runs on. No TLS: STARTTLS needs a TLS
//! stack (rustls and its crypto), which the server does not carry — point `[smtp]` at a local
//! relay (Postfix on the host, or the province's relay over a private network) that does TLS
//! onwards. A relay that requires STARTTLS before AUTH is refused with a clear error.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Where and as whom to send.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
    pub user: Option<String>,
    pub password: Option<String>,
    pub helo: String,
    pub timeout: Duration,
}

/// One message.
#[derive(Debug, Clone)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A bare address is `local@domain` with no spaces, angle brackets or line breaks.
pub fn valid_address(a: &str) -> bool {
    let ok_chars = !a.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'));
    match a.split_once('@') {
        Some((l, d)) => {
            ok_chars && !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && a.len() <= 254
        }
        None => false,
    }
}

/// The message as sent after DATA (headers, base64 body; lines end with CRLF).
pub fn render(from: &str, m: &Message, date: chrono::DateTime<chrono::Utc>, id: &str) -> String {
    let subject = format!("=?UTF-8?B?{}?=", STANDARD.encode(m.subject.as_bytes()));
    let body = STANDARD.encode(m.body.as_bytes());
    let mut out = String::new();
    out.push_str(&format!("From: =?UTF-8?B?{}?= <{from}>\r\n", STANDARD.encode("Thân Thiện")));
    out.push_str(&format!("To: <{}>\r\n", m.to));
    out.push_str(&format!("Subject: {subject}\r\n"));
    out.push_str(&format!("Date: {}\r\n", date.to_rfc2822()));
    let domain = from.split_once('@').map_or("localhost", |(_, d)| d);
    out.push_str(&format!("Message-ID: <{id}@{domain}>\r\n"));
    out.push_str("MIME-Version: 1.0\r\n");
    out.push_str("Content-Type: text/plain; charset=utf-8\r\n");
    out.push_str("Content-Transfer-Encoding: base64\r\n\r\n");
    for chunk in body.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or(""));
        out.push_str("\r\n");
    }
    out
}

struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    /// Reads one (possibly multi-line) reply: its code and lines.
    fn reply(&mut self) -> Result<(u16, Vec<String>), String> {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).map_err(|e| format!("smtp read: {e}"))?;
            if n == 0 {
                return Err("smtp: connection closed".into());
            }
            let line = line.trim_end().to_string();
            if line.len() < 3 {
                return Err(format!("smtp: bad reply {line:?}"));
            }
            let code: u16 = line[..3].parse().map_err(|_| format!("smtp: bad reply {line:?}"))?;
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line.get(4..).unwrap_or("").to_string());
            if !more {
                return Ok((code, lines));
            }
        }
    }

    fn expect(&mut self, want: u16, what: &str) -> Result<Vec<String>, String> {
        let (code, lines) = self.reply()?;
        if code != want {
            return Err(format!("smtp {what}: {code} {}", lines.join(" ")));
        }
        Ok(lines)
    }

    fn send(&mut self, line: &str) -> Result<(), String> {
        self.writer
            .write_all(line.as_bytes())
            .and_then(|_| self.writer.write_all(b"\r\n"))
            .map_err(|e| format!("smtp write: {e}"))
    }

    fn command(&mut self, line: &str, want: u16, what: &str) -> Result<Vec<String>, String> {
        self.send(line)?;
        self.expect(want, what)
    }
}

/// Sends `messages` over one connection. Returns how many were accepted; the first refusal
/// or network error ends the session with an error.
pub fn send_all(s: &SmtpSettings, messages: &[Message]) -> Result<usize, String> {
    if messages.is_empty() {
        return Ok(0);
    }
    if !valid_address(&s.from) {
        return Err(format!("smtp.from is not an address: {:?}", s.from));
    }
    let addr = (s.host.as_str(), s.port)
        .to_socket_addrs()
        .map_err(|e| format!("smtp {}:{}: {e}", s.host, s.port))?
        .next()
        .ok_or_else(|| format!("smtp {}: no address", s.host))?;
    let stream = TcpStream::connect_timeout(&addr, s.timeout).map_err(|e| format!("smtp connect {addr}: {e}"))?;
    stream.set_read_timeout(Some(s.timeout)).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(s.timeout)).map_err(|e| e.to_string())?;
    let writer = stream.try_clone().map_err(|e| e.to_string())?;
    let mut c = Conn { reader: BufReader::new(stream), writer };
    c.expect(220, "greeting")?;
    let ext = c.command(&format!("EHLO {}", s.helo), 250, "EHLO")?;
    if let (Some(user), Some(password)) = (&s.user, &s.password) {
        let has_auth =
            ext.iter().any(|l| l.to_ascii_uppercase().starts_with("AUTH") && l.to_ascii_uppercase().contains("PLAIN"));
        if !has_auth {
            return Err("smtp: the relay offers no AUTH PLAIN on a plain connection (STARTTLS is not supported)".into());
        }
        let token = STANDARD.encode(format!("\0{user}\0{password}"));
        c.command(&format!("AUTH PLAIN {token}"), 235, "AUTH")?;
    }
    let mut sent = 0;
    for m in messages {
        if !valid_address(&m.to) {
            continue;
        }
        c.command(&format!("MAIL FROM:<{}>", s.from), 250, "MAIL FROM")?;
        c.command(&format!("RCPT TO:<{}>", m.to), 250, "RCPT TO")?;
        c.command("DATA", 354, "DATA")?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let text = render(&s.from, m, chrono::Utc::now(), &id);
        // Base64 lines and headers never start with '.', but stay safe: dot-stuff.
        for line in text.split("\r\n") {
            if line.starts_with('.') {
                c.send(&format!(".{line}"))?;
            } else {
                c.send(line)?;
            }
        }
        c.command(".", 250, "end of DATA")?;
        sent += 1;
    }
    let _ = c.command("QUIT", 221, "QUIT");
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(valid_address("truong.thon@binhluong.gov.vn"));
        assert!(!valid_address("a b@x.vn"));
        assert!(!valid_address("a@x"));
        assert!(!valid_address("a@x.vn>\r\nRCPT TO:<b@y.vn"));
    }

    #[test]
    fn vietnamese_survives_the_encoding() {
        let m =
            Message {
                to: "a@b.vn".into(), subject: "Bản tin nhắc việc".into(), body: "Nhiệm vụ quá hạn: 2".into()
            };
        let text = render("tt@b.vn", &m, chrono::Utc::now(), "x");
        assert!(text.contains("Subject: =?UTF-8?B?"));
        let body = text.split("\r\n\r\n").nth(1).unwrap().replace("\r\n", "");
        assert_eq!(String::from_utf8(STANDARD.decode(body).unwrap()).unwrap(), "Nhiệm vụ quá hạn: 2");
    }
}

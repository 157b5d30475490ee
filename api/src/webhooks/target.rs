//! Where an event may be sent: an `http(s)` URL without credentials whose host is neither this
//! machine nor a private network. The URL is read as the sender reads it (the WHATWG parser of
//! the `url` crate, which `reqwest` uses), so every spelling of an address is judged by the
//! address it means: `2130706433`, `127.1`, `0x7f.1` and `[::ffff:127.0.0.1]` are all
//! 127.0.0.1. A name is judged again when it is resolved, each time an event is sent
//! ([`PublicOnly`]): a public name that points at a private address is refused too.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// Why a URL is not a target: a stable code and the Vietnamese message for its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    pub code: &'static str,
    pub message: &'static str,
}

const fn refused(code: &'static str, message: &'static str) -> Refused {
    Refused { code, message }
}

/// Reads a target URL; `allow_private` lets loopback and private networks through (tests, a
/// relay on the same network).
pub fn parse(raw: &str, allow_private: bool) -> Result<Url, Refused> {
    // The parser would drop tabs and line breaks and trim spaces: refuse them instead.
    if raw.len() > 500 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refused("invalid_format", "Địa chỉ tối đa 500 ký tự, không có khoảng trắng."));
    }
    let url = Url::parse(raw).map_err(|e| match e {
        url::ParseError::InvalidPort => refused("invalid_format", "Cổng (port) phải từ 1 đến 65535."),
        url::ParseError::EmptyHost => refused("invalid_format", "Thiếu tên máy nhận."),
        _ => refused("invalid_format", "Địa chỉ không hợp lệ: cần dạng https://máy-nhận/đường-dẫn."),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refused("invalid_format", "Địa chỉ phải bắt đầu bằng https:// hoặc http://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refused("invalid_format", "Địa chỉ không được chứa tên đăng nhập."));
    }
    if url.port() == Some(0) {
        return Err(refused("invalid_format", "Cổng (port) phải từ 1 đến 65535."));
    }
    let private = match url.host() {
        None => return Err(refused("invalid_format", "Thiếu tên máy nhận.")),
        Some(Host::Domain(name)) => private_name(name),
        Some(Host::Ipv4(a)) => private_ip(IpAddr::V4(a)),
        Some(Host::Ipv6(a)) => private_ip(IpAddr::V6(a)),
    };
    if private && !allow_private {
        return Err(refused("private_target", "Không gửi sự kiện tới máy nội bộ hoặc mạng riêng."));
    }
    Ok(url)
}

/// Names that mean this machine or a local network whatever a resolver says.
fn private_name(name: &str) -> bool {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    n == "localhost"
        || [".localhost", ".local", ".internal", ".home.arpa", ".lan"].iter().any(|s| n.ends_with(s))
        || n.is_empty()
}

fn private_v4(a: Ipv4Addr) -> bool {
    let [x, y, ..] = a.octets();
    a.is_loopback()
        || a.is_private()
        || a.is_link_local()
        || a.is_unspecified()
        || a.is_broadcast()
        || a.is_multicast()
        || x == 0 // "this network"
        || (x == 100 && (64..128).contains(&y)) // shared address space (carrier NAT)
        || x >= 240 // reserved
}

/// Loopback, private, link-local, multicast and reserved addresses, and IPv6 addresses that
/// carry one of them (IPv4-mapped, IPv4-compatible, NAT64).
pub fn private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => private_v4(a),
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return private_v4(v4);
            }
            let s = a.segments();
            let embedded = || Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
            // IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
            if (s[..6] == [0; 6] && a != Ipv6Addr::LOCALHOST && a != Ipv6Addr::UNSPECIFIED)
                || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0]
            {
                return private_v4(embedded());
            }
            a.is_loopback()
                || a.is_unspecified()
                || a.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        }
    }
}

/// A resolver for the sender that keeps only public addresses: a name that resolves to none
/// is not reached (the attempt fails as unreachable).
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| !private_ip(a.ip())).collect();
            if public.is_empty() {
                return Err(format!("{host}: no public address").into());
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_private_address_is_refused() {
        for bad in [
            "http://127.0.0.1:9/",
            "http://2130706433:8383/x",
            "http://127.1:8383/x",
            "http://0x7f.1:8383/x",
            "http://0177.0.0.1/x",
            "http://[::ffff:127.0.0.1]:8383/x",
            "http://[::ffff:7f00:1]/x",
            "http://[::ffff:169.254.169.254]/latest/meta-data",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[::10.0.0.1]/",
            "http://localhost./x",
            "http://LOCALHOST/x",
            "http://api.localhost/x",
            "http://printer.local/",
            "http://0.0.0.0/",
            "http://0/",
            "http://100.64.1.1/",
            "http://169.254.169.254/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::1]/",
            "http://224.0.0.1/",
        ] {
            assert_eq!(parse(bad, false).map_err(|r| r.code), Err("private_target"), "{bad}");
            assert!(parse(bad, true).is_ok(), "allowed when private targets are: {bad}");
        }
    }

    #[test]
    fn a_public_http_target_without_credentials_is_accepted() {
        for good in [
            "http://hooks.example.org/tt",
            "https://hooks.example.org/tt?x=1",
            "http://203.0.113.7:8080/x",
            "http://[2001:db8::1]/h",
        ] {
            assert!(parse(good, false).is_ok(), "{good}");
        }
        for (bad, code) in [
            ("ftp://x.org/", "invalid_format"),
            ("file:///etc/passwd", "invalid_format"),
            ("http://user@x.org/", "invalid_format"),
            ("http://u:p@x.org/", "invalid_format"),
            ("http://hooks.example.org:99999/h", "invalid_format"),
            ("http://hooks.example.org:0/h", "invalid_format"),
            ("http:// x.org", "invalid_format"),
            ("http://x.org/\tpath", "invalid_format"),
            ("not a url", "invalid_format"),
        ] {
            assert_eq!(parse(bad, false).map_err(|r| r.code), Err(code), "{bad}");
        }
        assert!(parse(&format!("http://x.org/{}", "a".repeat(500)), false).is_err());
    }

    #[test]
    fn the_resolver_keeps_public_addresses_only() {
        use reqwest::dns::Resolve;
        use std::str::FromStr;
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        // "localhost" resolves here (the hosts file), and only to loopback.
        let got = rt.block_on(PublicOnly.resolve(reqwest::dns::Name::from_str("localhost").unwrap()));
        assert!(got.is_err());
        // An address literal resolves to itself: a public one is kept.
        let got = rt.block_on(PublicOnly.resolve(reqwest::dns::Name::from_str("203.0.113.7").unwrap()));
        assert_eq!(got.unwrap().map(|a| a.ip()).collect::<Vec<_>>(), vec![IpAddr::from([203, 0, 113, 7])]);
    }
}

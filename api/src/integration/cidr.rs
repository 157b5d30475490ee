//! IP allow-lists of API keys: networks written as CIDR (`203.0.113.0/24`, `2001:db8::/32`)
//! or single addresses.

use std::net::IpAddr;

/// One allowed network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    base: IpAddr,
    bits: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`, `x::y/n` or a bare address (a /32 or /128). `None` if malformed or
    /// if host bits are set (`10.0.0.1/8` is almost always a typing mistake).
    pub fn parse(text: &str) -> Option<Cidr> {
        let text = text.trim();
        let (addr, bits) = match text.split_once('/') {
            Some((a, b)) => (a, Some(b.parse::<u8>().ok()?)),
            None => (text, None),
        };
        let base: IpAddr = addr.parse().ok()?;
        let max = if base.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        if bits > max {
            return None;
        }
        let c = Cidr { base, bits };
        (c.network_of(base) == Some(c.base_bits())).then_some(c)
    }

    fn base_bits(&self) -> u128 {
        bits_of(self.base)
    }

    /// The network part of `ip` under this prefix length, if `ip` is of the same family.
    fn network_of(&self, ip: IpAddr) -> Option<u128> {
        if ip.is_ipv4() != self.base.is_ipv4() {
            return None;
        }
        let width = if ip.is_ipv4() { 32 } else { 128 };
        let host = width - u32::from(self.bits);
        let mask = if host >= 128 { 0 } else { (!0u128) << host };
        Some(bits_of(ip) & mask)
    }

    /// Whether `ip` is inside the network. An IPv4 address mapped into IPv6 counts as IPv4.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        self.network_of(ip) == Some(self.base_bits())
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.bits)
    }
}

fn bits_of(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

/// Whether `ip` (as the request context gives it) is allowed by `list`; an empty list allows
/// every address, an unparsable client address none.
pub fn allowed(list: &[Cidr], ip: &str) -> bool {
    if list.is_empty() {
        return true;
    }
    match ip.trim().parse::<IpAddr>() {
        Ok(ip) => list.iter().any(|c| c.contains(ip)),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_contain_their_addresses_only() {
        let n = Cidr::parse("203.0.113.0/24").unwrap();
        assert!(n.contains("203.0.113.77".parse().unwrap()));
        assert!(!n.contains("203.0.114.1".parse().unwrap()));
        assert!(n.contains("::ffff:203.0.113.5".parse().unwrap()));
        let one = Cidr::parse("198.51.100.7").unwrap();
        assert!(one.contains("198.51.100.7".parse().unwrap()));
        assert!(!one.contains("198.51.100.8".parse().unwrap()));
        let v6 = Cidr::parse("2001:db8::/32").unwrap();
        assert!(v6.contains("2001:db8:1::9".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
        assert!(!v6.contains("203.0.113.1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert_eq!(n.to_string(), "203.0.113.0/24");
    }

    #[test]
    fn malformed_networks_are_refused() {
        for bad in ["", "10.0.0.1/8", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/x", "2001:db8::1/200"] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
        assert!(allowed(&[], "anything"));
        assert!(!allowed(&[Cidr::parse("10.0.0.0/8").unwrap()], "not-an-ip"));
    }
}

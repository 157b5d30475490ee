//! The processing-time histogram: how many dossiers took exactly this many working minutes.
//! Exact (no bucketing), kept as one compact value per roll-up bucket and merged in memory.
//! Pure: no database.

/// (working minutes, how many), ascending by minutes, no zero counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Hist(Vec<(i32, i64)>);

/// A stored histogram that does not decode (truncated, or a value out of range).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

impl std::fmt::Display for Corrupt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("corrupt processing-time histogram")
    }
}

impl std::error::Error for Corrupt {}

/// Above this many distinct minutes per value counted, merging counts in a dense array is
/// cheaper than sorting; the array is never larger than this many slots.
const DENSE_SLOTS: usize = 1 << 20;

impl Hist {
    /// The entries, ascending by minutes.
    pub fn entries(&self) -> &[(i32, i64)] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many dossiers it counts.
    pub fn count(&self) -> i64 {
        self.0.iter().map(|(_, n)| n).sum()
    }

    /// From entries in any order, with repeats: repeats summed, zero counts dropped.
    pub fn from_pairs(mut pairs: Vec<(i32, i64)>) -> Hist {
        let (Some(lo), Some(hi)) = (pairs.iter().map(|p| p.0).min(), pairs.iter().map(|p| p.0).max()) else {
            return Hist::default();
        };
        let span = usize::try_from(i64::from(hi) - i64::from(lo) + 1).unwrap_or(usize::MAX);
        if span <= DENSE_SLOTS && span <= pairs.len().saturating_mul(8).max(4096) {
            // Many entries over a short range of minutes (a province's year): count in place.
            let mut slots = vec![0i64; span];
            for (m, n) in &pairs {
                slots[(m - lo) as usize] += n;
            }
            let out = slots.iter().enumerate().filter(|(_, n)| **n != 0).map(|(i, n)| (lo + i as i32, *n)).collect();
            return Hist(out);
        }
        pairs.sort_unstable_by_key(|p| p.0);
        let mut out: Vec<(i32, i64)> = Vec::with_capacity(pairs.len());
        for (m, n) in pairs {
            match out.last_mut() {
                Some(last) if last.0 == m => last.1 += n,
                _ => out.push((m, n)),
            }
        }
        out.retain(|p| p.1 != 0);
        Hist(out)
    }

    /// Adds `other` to this one.
    pub fn add(&mut self, other: Hist) {
        if self.0.is_empty() {
            *self = other;
        } else {
            self.merge(&other.0);
        }
    }

    /// Adds `other` (ascending, as [`Hist::entries`]) to this one.
    pub fn merge(&mut self, other: &[(i32, i64)]) {
        if other.is_empty() {
            return;
        }
        if self.0.is_empty() {
            self.0.extend(other.iter().filter(|p| p.1 != 0));
            return;
        }
        let a = &self.0;
        let mut out = Vec::with_capacity(a.len() + other.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < other.len() {
            let next = match (a.get(i), other.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    i += 1;
                    j += 1;
                    (x.0, x.1 + y.1)
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    i += 1;
                    *x
                }
                (Some(x), None) => {
                    i += 1;
                    *x
                }
                (_, Some(y)) => {
                    j += 1;
                    *y
                }
                (None, None) => break,
            };
            if next.1 != 0 {
                out.push(next);
            }
        }
        self.0 = out;
    }

    /// The compact stored form: for each entry, the minutes (the first as a signed value, then
    /// the step from the previous one) and the count, each a LEB128 varint of its zigzag form.
    /// A year of a commune's procedure with 1,500 distinct minutes takes about 4 KB.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.0.len() * 4);
        let mut prev = 0i64;
        for (m, n) in &self.0 {
            let m = i64::from(*m);
            put_varint(&mut out, zigzag(m - prev));
            put_varint(&mut out, zigzag(*n));
            prev = m;
        }
        out
    }

    /// Reads the stored form back.
    pub fn decode(bytes: &[u8]) -> Result<Hist, Corrupt> {
        let mut out = Vec::with_capacity(bytes.len() / 3);
        let mut at = 0;
        let mut prev = 0i64;
        while at < bytes.len() {
            let step = unzigzag(get_varint(bytes, &mut at)?);
            let n = unzigzag(get_varint(bytes, &mut at)?);
            let m = prev.checked_add(step).ok_or(Corrupt)?;
            if !out.is_empty() && step <= 0 {
                return Err(Corrupt);
            }
            out.push((i32::try_from(m).map_err(|_| Corrupt)?, n));
            prev = m;
        }
        Ok(Hist(out))
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> Result<u64, Corrupt> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*at).ok_or(Corrupt)?;
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_stored_form() {
        let h = Hist::from_pairs(vec![(1020, 3), (0, 1), (480, 2), (1020, 1), (-5, 1), (i32::MAX, 7), (9, -2)]);
        assert_eq!(h.entries(), &[(-5, 1), (0, 1), (9, -2), (480, 2), (1020, 4), (i32::MAX, 7)]);
        assert_eq!(Hist::decode(&h.encode()), Ok(h.clone()));
        assert_eq!(Hist::decode(&[]), Ok(Hist::default()));
        // Small: one byte per step under 64 minutes and per count under 64.
        assert_eq!(Hist::from_pairs(vec![(10, 1), (20, 2)]).encode(), vec![20, 2, 20, 4]);
        // Truncated, or minutes that do not ascend: refused, never misread.
        let bytes = h.encode();
        assert_eq!(Hist::decode(&bytes[..bytes.len() - 1]), Err(Corrupt));
        assert_eq!(Hist::decode(&[20, 2, 0, 2]), Err(Corrupt));
        assert_eq!(Hist::decode(&[0xff; 11]), Err(Corrupt));
    }

    #[test]
    fn merging_adds_counts_and_drops_zeros() {
        let mut h = Hist::from_pairs(vec![(1, 1), (5, 2), (9, 1)]);
        h.merge(&[(0, 4), (5, -2), (9, 1), (12, 1)]);
        assert_eq!(h.entries(), &[(0, 4), (1, 1), (9, 2), (12, 1)]);
        let mut e = Hist::default();
        e.merge(h.entries());
        assert_eq!(e, h);
        assert_eq!(h.count(), 8);
    }

    #[test]
    fn dense_and_sorted_merges_agree() {
        // A short range with many entries goes through the dense array, a wide one through the
        // sort; both give the same histogram as a plain count.
        let mut x = 7u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for span in [50i64, 5_000, 3_000_000] {
            let pairs: Vec<(i32, i64)> =
                (0..20_000).map(|_| ((next() as i64 % span) as i32, (next() % 3) as i64)).collect();
            let mut want = std::collections::BTreeMap::new();
            for (m, n) in &pairs {
                *want.entry(*m).or_insert(0i64) += n;
            }
            want.retain(|_, n| *n != 0);
            let got = Hist::from_pairs(pairs);
            assert_eq!(got.entries(), want.into_iter().collect::<Vec<_>>().as_slice(), "span {span}");
        }
    }
}

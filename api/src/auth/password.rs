//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1; OWASP's first recommendation).
//! Call these from the blocking pool: one hash costs tens of milliseconds by design.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::db::fold_search;
use crate::error::{AppError, AppResult, Validator};

/// Minimum password length in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest password accepted (hashing cost grows with input; nobody types more).
pub const MAX_PASSWORD_CHARS: usize = 256;

fn hasher() -> AppResult<Argon2<'static>> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password to a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub fn hash_password(password: &str) -> AppResult<String> {
    let hash = hasher()?.hash_password(password.as_bytes()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(hash.to_string())
}

/// Checks a password against a stored PHC string. A malformed stored hash is an error, not
/// a silent "wrong password".
pub fn verify_password(password: &str, stored: &str) -> AppResult<bool> {
    let parsed = PasswordHash::new(stored).map_err(|e| AppError::Internal(format!("stored hash unreadable: {e}")))?;
    Ok(hasher()?.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash of a random password, verified against when the username does not exist so that
/// unknown users take as long as known ones.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut bytes = [0u8; 16];
        let _ = getrandom::fill(&mut bytes);
        hash_password(&hex::encode(bytes)).unwrap_or_default()
    })
}

/// The passwords refused as too common (see `common_passwords.py` for how the list is made).
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

fn common_passwords() -> &'static std::collections::HashSet<&'static str> {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().filter(|l| !l.is_empty() && !l.starts_with('#')).collect())
}

/// Lower-case, without diacritics or spaces: "Bình Lương" and "binhluong" compare equal.
fn compact(text: &str) -> String {
    fold_search(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// Undoes the usual letter-for-symbol swaps (`p@ssw0rd` → `password`).
fn unleet(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            '!' | '1' => 'i',
            other => other,
        })
        .collect()
}

/// Whether a password is, or is built on, a common password: the list holds it as it is, or
/// its core (digits and symbols trimmed at both ends, l33t undone) is a common word.
pub fn is_common(password: &str) -> bool {
    let set = common_passwords();
    let p = compact(password);
    if set.contains(p.as_str()) || set.contains(unleet(&p).as_str()) {
        return true;
    }
    let core = p.trim_matches(|c: char| !c.is_alphabetic());
    core.chars().count() >= 4 && (set.contains(core) || set.contains(unleet(core).as_str()))
}

/// Whether a password repeats one short unit (`aaaaaaaaaa`, `ababababab`, `abcabcabca`).
pub fn is_repetitive(password: &str) -> bool {
    let chars: Vec<char> = password.chars().flat_map(char::to_lowercase).collect();
    (1..=3).any(|unit| chars.len() > unit && chars.iter().enumerate().all(|(i, c)| *c == chars[i % unit]))
}

/// Whether a password is made of `name` (compared without case, diacritics or spaces): what
/// is left once the name is taken out is nothing, digits and symbols only, fewer than six
/// characters, or a common password.
pub fn is_made_of(password: &str, name: &str) -> bool {
    let name = compact(name);
    if name.chars().count() < 3 {
        return false;
    }
    let p = compact(password);
    if !p.contains(&name) {
        return false;
    }
    let rest: String = p.replace(&name, "").chars().filter(|c| c.is_alphanumeric()).collect();
    rest.chars().count() < 6 || !rest.chars().any(char::is_alphabetic) || is_common(&rest)
}

/// What a new password is checked against besides the list: the account's username and the
/// name of its commune.
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordContext<'a> {
    pub username: &'a str,
    pub commune_name: Option<&'a str>,
}

/// Adds field errors for a new password that breaks the policy. Codes: `required`,
/// `too_short`, `too_long`, `contains_username`, `contains_commune_name`,
/// `repeated_characters`, `common_password`.
pub fn check_new_password(v: &mut Validator, field: &str, password: &str, ctx: PasswordContext<'_>) {
    let n = password.chars().count();
    if n == 0 {
        v.add(field, "required", "Cần nhập mật khẩu.");
    } else if n < MIN_PASSWORD_CHARS {
        v.add(field, "too_short", &format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."));
    } else if n > MAX_PASSWORD_CHARS {
        v.add(field, "too_long", &format!("Mật khẩu tối đa {MAX_PASSWORD_CHARS} ký tự."));
    } else if !ctx.username.is_empty() && fold_search(password).contains(&fold_search(ctx.username)) {
        v.add(field, "contains_username", "Mật khẩu không được chứa tên đăng nhập.");
    } else if ctx.commune_name.is_some_and(|c| is_made_of(password, c)) {
        v.add(field, "contains_commune_name", "Mật khẩu không được dựa trên tên xã.");
    } else if is_repetitive(password) {
        v.add(field, "repeated_characters", "Mật khẩu không được chỉ lặp lại một vài ký tự.");
    } else if is_common(password) {
        v.add(field, "common_password", "Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_and_verifies() {
        let h = hash_password("mật khẩu dài đủ").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_password("mật khẩu dài đủ", &h).unwrap());
        assert!(!verify_password("mat khau dai du", &h).unwrap());
        assert_ne!(h, hash_password("mật khẩu dài đủ").unwrap(), "salts must differ");
    }

    #[test]
    fn malformed_stored_hash_is_an_error() {
        assert!(verify_password("x", "not-a-hash").is_err());
    }

    fn ctx<'a>(username: &'a str, commune: Option<&'a str>) -> PasswordContext<'a> {
        PasswordContext { username, commune_name: commune }
    }

    #[test]
    fn policy() {
        let mut v = Validator::new();
        check_new_password(&mut v, "p", "short", ctx("", None));
        check_new_password(&mut v, "q", "admin-password-1", ctx("admin", None));
        check_new_password(&mut v, "r", "a-good-long-one", ctx("admin", None));
        let Err(AppError::Validation(e)) = v.finish() else { panic!() };
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].code, "too_short");
        assert_eq!((e[1].field.as_str(), e[1].code.as_str()), ("q", "contains_username"));
    }

    fn code_of(password: &str, username: &str, commune: Option<&str>) -> Option<String> {
        let mut v = Validator::new();
        check_new_password(&mut v, "password", password, ctx(username, commune));
        match v.finish() {
            Ok(()) => None,
            Err(AppError::Validation(e)) => Some(e[0].code.clone()),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn refuses_common_passwords_and_their_variants() {
        for p in [
            "1234567890",
            "password12",
            "qwertyuiop",
            "matkhau123",
            "Matkhau@123",
            "123456789a",
            "anhyeuem123",
            "P@ssw0rd2026!",
            "Dragon12345",
            "iloveyou2024",
            "Mật khẩu 123",
        ] {
            assert_eq!(code_of(p, "nva", None).as_deref(), Some("common_password"), "{p}");
        }
        assert!(common_passwords().contains("123456aa@"), "the list holds 123456aA@ (lower-cased)");
        for p in ["thanthien-demo", "Đồng lúa chín vàng 2026", "correct horse battery", "xk7#Lm2q9vBw"] {
            assert_eq!(code_of(p, "nva", None), None, "{p} is a fine password");
        }
    }

    #[test]
    fn refuses_the_username_the_commune_name_and_repetition() {
        assert_eq!(code_of("NguyenVanA2026", "nguyenvana", None).as_deref(), Some("contains_username"));
        let commune = Some("Bình Lương");
        assert_eq!(code_of("binhluong2026", "nva", commune).as_deref(), Some("contains_commune_name"));
        assert_eq!(code_of("Bình Lương @123", "nva", commune).as_deref(), Some("contains_commune_name"));
        assert_eq!(code_of("xabinhluong!!", "nva", commune).as_deref(), Some("contains_commune_name"));
        assert_eq!(code_of("binhluong và những cánh đồng", "nva", commune), None, "a long phrase is fine");
        assert_eq!(code_of("aaaaaaaaaaaa", "nva", None).as_deref(), Some("repeated_characters"));
        assert_eq!(code_of("ababababab", "nva", None).as_deref(), Some("repeated_characters"));
        assert_eq!(code_of("ĐĐĐĐĐĐĐĐĐĐ", "nva", None).as_deref(), Some("repeated_characters"));
    }
}

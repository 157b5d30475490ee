//! Password hashing with argon2id (m = 19 MiB, t = 2, p = 1; OWASP's first recommendation).
//! Call these from the blocking pool: one hash costs tens of milliseconds by design.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

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

/// Adds field errors for a new password that breaks the policy.
pub fn check_new_password(v: &mut Validator, field: &str, password: &str, username: &str) {
    let n = password.chars().count();
    if n == 0 {
        v.add(field, "required", "Cần nhập mật khẩu.");
    } else if n < MIN_PASSWORD_CHARS {
        v.add(field, "too_short", &format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."));
    } else if n > MAX_PASSWORD_CHARS {
        v.add(field, "too_long", &format!("Mật khẩu tối đa {MAX_PASSWORD_CHARS} ký tự."));
    } else if !username.is_empty() && password.to_lowercase().contains(&username.to_lowercase()) {
        v.add(field, "invalid_value", "Mật khẩu không được chứa tên đăng nhập.");
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

    #[test]
    fn policy() {
        let mut v = Validator::new();
        check_new_password(&mut v, "p", "short", "");
        check_new_password(&mut v, "q", "admin-password-1", "admin");
        check_new_password(&mut v, "r", "a-good-long-one", "admin");
        let Err(AppError::Validation(e)) = v.finish() else { panic!() };
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].code, "too_short");
        assert_eq!(e[1].field, "q");
    }
}

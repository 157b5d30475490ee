//! Evidence files: checked by content (`sniff`), named safely (`display_name`), and stored by
//! SHA-256 content hash in the installation's blob store (`crate::blobs`: the local data
//! directory, or an S3-compatible bucket shared by several app servers).

pub use crate::blobs::{LocalStorage, Storage, content_hash};

/// Files per progress report (the per-file cap is `server.max_upload_bytes`).
pub const MAX_FILES_PER_REPORT: usize = 10;

/// The media type of an evidence file, decided by its first bytes; `None` = not accepted.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "pdf",
    }
}

/// A display name for an upload: the client's base name without path, control or quote
/// characters, at most 120 characters, with the extension of the real type. Never a path.
pub fn display_name(client_name: Option<&str>, content_type: &str) -> String {
    let base = client_name.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String =
        base.chars().filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | ';' | '<' | '>')).take(120).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    let ext = extension(content_type);
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ if cleaned.is_empty() => "minh-chung".to_string(),
        _ => cleaned,
    };
    format!("{stem}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_never_carry_paths() {
        assert_eq!(display_name(Some("../../etc/passwd"), "image/png"), "passwd.png");
        assert_eq!(display_name(Some("C:\\Users\\a\\ảnh thôn 1.JPG"), "image/jpeg"), "ảnh thôn 1.jpg");
        assert_eq!(display_name(None, "application/pdf"), "minh-chung.pdf");
        assert_eq!(display_name(Some(".htaccess"), "image/png"), "htaccess.png");
    }
}

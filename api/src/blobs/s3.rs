//! Blobs in an S3-compatible bucket (AWS S3, Ceph, MinIO, Garage, a provincial cloud …), so that
//! several app servers share one store.
//!
//! Only four object calls are needed (HEAD, PUT, GET, DELETE), so they are made here with the
//! HTTP client and AWS Signature Version 4 written out, rather than with an SDK that would add
//! hundreds of crates to the build. Path-style addressing (`{endpoint}/{bucket}/{key}`) works
//! with every S3-compatible server. Objects: `{prefix}ab/abcdef…` (the content hash).

use std::sync::OnceLock;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{Storage, check_key, content_hash};
use crate::spool::SpooledFile;

/// Where the bucket is and who we are to it (`[storage]` in the configuration).
#[derive(Clone)]
pub struct S3Settings {
    /// `https://s3.example.vn` or `http://127.0.0.1:9000` (no path).
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Key prefix inside the bucket, e.g. `files/`.
    pub prefix: String,
}

pub struct S3Storage {
    settings: S3Settings,
    /// `host[:port]`, as signed.
    host: String,
    /// The endpoint without a trailing slash.
    base: String,
    /// Made on first use, on the blocking thread that uses it (a blocking client must not be
    /// created inside the async runtime).
    client: OnceLock<Result<reqwest::blocking::Client, String>>,
}

impl S3Storage {
    pub fn new(settings: S3Settings) -> Result<Self, String> {
        let base = settings.endpoint.trim_end_matches('/').to_string();
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or("storage.endpoint must start with http:// or https://")?;
        if rest.is_empty() || rest.contains('/') {
            return Err("storage.endpoint is a scheme and a host[:port], without a path".into());
        }
        let bucket_ok = (3..=63).contains(&settings.bucket.len())
            && settings.bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !bucket_ok {
            return Err("storage.bucket must be 3–63 characters of a–z, 0–9, '-' and '.'".into());
        }
        if settings.access_key_id.is_empty() || settings.secret_access_key.is_empty() {
            return Err("storage.access_key_id and storage.secret_access_key are required for s3".into());
        }
        if settings.region.is_empty() {
            return Err("storage.region is required for s3 (\"us-east-1\" for most S3-compatible servers)".into());
        }
        if !settings.prefix.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.')) {
            return Err("storage.prefix may hold only A–Z, a–z, 0–9, '/', '-', '_' and '.'".into());
        }
        Ok(S3Storage { host: rest.to_string(), base, settings, client: OnceLock::new() })
    }

    fn client(&self) -> std::io::Result<&reqwest::blocking::Client> {
        let made = self.client.get_or_init(|| {
            reqwest::blocking::Client::builder()
                .connect_timeout(Duration::from_secs(5))
                .timeout(Duration::from_secs(120))
                .build()
                .map_err(|e| format!("s3 client: {e}"))
        });
        made.as_ref().map_err(|e| std::io::Error::other(e.clone()))
    }

    fn object_path(&self, key: &str) -> std::io::Result<String> {
        check_key(key)?;
        Ok(format!("/{}/{}{}/{}", self.settings.bucket, self.settings.prefix, &key[..2], key))
    }

    /// One signed request; `payload_hash` is the hex SHA-256 of the body (of nothing for
    /// HEAD/GET/DELETE).
    fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        payload_hash: &str,
        body: Option<reqwest::blocking::Body>,
    ) -> std::io::Result<reqwest::blocking::Response> {
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let headers =
            [("host", self.host.as_str()), ("x-amz-content-sha256", payload_hash), ("x-amz-date", amz_date.as_str())];
        let authorization = authorization(
            &self.settings,
            &SignInput {
                method: method.as_str(),
                uri: path,
                query: "",
                headers: &headers,
                payload_hash,
                amz_date: &amz_date,
            },
        );
        let mut req = self
            .client()?
            .request(method, format!("{}{}", self.base, path))
            .header("x-amz-content-sha256", payload_hash)
            .header("x-amz-date", &amz_date)
            .header("authorization", authorization);
        if let Some(b) = body {
            req = req.body(b);
        }
        // The error names the bucket path, never the credentials.
        req.send().map_err(|e| std::io::Error::other(format!("s3 {path}: {e}")))
    }

    fn exists(&self, path: &str) -> std::io::Result<bool> {
        let r = self.send(reqwest::Method::HEAD, path, EMPTY_SHA256, None)?;
        match r.status().as_u16() {
            200 => Ok(true),
            404 => Ok(false),
            s => Err(std::io::Error::other(format!("s3 HEAD {path}: HTTP {s}"))),
        }
    }

    fn put_body(&self, path: &str, hash: &str, body: reqwest::blocking::Body) -> std::io::Result<()> {
        let r = self.send(reqwest::Method::PUT, path, hash, Some(body))?;
        if r.status().is_success() {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("s3 PUT {path}: HTTP {}", r.status().as_u16())))
        }
    }
}

/// SHA-256 of the empty string (the payload hash of a request without a body).
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

impl Storage for S3Storage {
    fn put(&self, bytes: &[u8]) -> std::io::Result<(String, bool)> {
        let key = content_hash(bytes);
        let path = self.object_path(&key)?;
        if self.exists(&path)? {
            return Ok((key, false));
        }
        self.put_body(&path, &key, reqwest::blocking::Body::from(bytes.to_vec()))?;
        Ok((key, true))
    }

    fn put_file(&self, file: &SpooledFile) -> std::io::Result<(String, bool)> {
        let key = file.sha256().ok_or_else(|| std::io::Error::other("upload not finished"))?.to_string();
        let path = self.object_path(&key)?;
        if self.exists(&path)? {
            return Ok((key, false));
        }
        // Streamed from the spool file with its length; the content hash is the payload hash.
        let f = std::fs::File::open(file.path())?;
        let body = reqwest::blocking::Body::sized(f, file.size());
        self.put_body(&path, &key, body)?;
        Ok((key, true))
    }

    fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        let path = self.object_path(key)?;
        let r = self.send(reqwest::Method::GET, &path, EMPTY_SHA256, None)?;
        match r.status().as_u16() {
            200 => {
                let bytes = r.bytes().map_err(|e| std::io::Error::other(format!("s3 GET {path}: {e}")))?;
                // The bucket is outside our walls: what comes back must be what went in.
                if content_hash(&bytes) != key {
                    return Err(std::io::Error::other(format!("s3 GET {path}: content does not match its hash")));
                }
                Ok(bytes.to_vec())
            }
            404 => Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("s3 GET {path}: no such object"))),
            s => Err(std::io::Error::other(format!("s3 GET {path}: HTTP {s}"))),
        }
    }

    fn delete(&self, key: &str) -> std::io::Result<()> {
        let path = self.object_path(key)?;
        let r = self.send(reqwest::Method::DELETE, &path, EMPTY_SHA256, None)?;
        match r.status().as_u16() {
            200 | 204 | 404 => Ok(()),
            s => Err(std::io::Error::other(format!("s3 DELETE {path}: HTTP {s}"))),
        }
    }
}

/// What Signature Version 4 signs. `headers`: lower-case names, sorted, each signed.
struct SignInput<'a> {
    method: &'a str,
    uri: &'a str,
    query: &'a str,
    headers: &'a [(&'a str, &'a str)],
    payload_hash: &'a str,
    amz_date: &'a str,
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC accepts any key"));
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The `Authorization` header of AWS Signature Version 4 for the S3 service.
fn authorization(s: &S3Settings, r: &SignInput<'_>) -> String {
    let date = &r.amz_date[..8.min(r.amz_date.len())];
    let canonical_headers: String = r.headers.iter().map(|(k, v)| format!("{k}:{}\n", v.trim())).collect();
    let signed_headers = r.headers.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(";");
    let canonical_request =
        format!("{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{}", r.method, r.uri, r.query, r.payload_hash);
    let scope = format!("{date}/{}/s3/aws4_request", s.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        r.amz_date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let k_date = hmac(format!("AWS4{}", s.secret_access_key).as_bytes(), date);
    let k_region = hmac(&k_date, &s.region);
    let k_service = hmac(&k_region, "s3");
    let k_signing = hmac(&k_service, "aws4_request");
    let signature = hex::encode(hmac(&k_signing, &string_to_sign));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        s.access_key_id
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> S3Settings {
        S3Settings {
            endpoint: "https://examplebucket.s3.amazonaws.com".into(),
            bucket: "examplebucket".into(),
            region: "us-east-1".into(),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            prefix: "files/".into(),
        }
    }

    /// The worked example of AWS's Signature Version 4 documentation for S3 ("GET Object").
    #[test]
    fn signs_as_the_aws_documentation_example() {
        let headers = [
            ("host", "examplebucket.s3.amazonaws.com"),
            ("range", "bytes=0-9"),
            ("x-amz-content-sha256", EMPTY_SHA256),
            ("x-amz-date", "20130524T000000Z"),
        ];
        let auth = authorization(
            &settings(),
            &SignInput {
                method: "GET",
                uri: "/test.txt",
                query: "",
                headers: &headers,
                payload_hash: EMPTY_SHA256,
                amz_date: "20130524T000000Z",
            },
        );
        assert_eq!(
            auth,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn settings_are_checked() {
        let ok = S3Storage::new(settings()).expect("valid");
        assert_eq!(ok.host, "examplebucket.s3.amazonaws.com");
        let key = content_hash(b"x");
        assert_eq!(ok.object_path(&key).unwrap(), format!("/examplebucket/files/{}/{key}", &key[..2]));
        assert!(ok.object_path("../../etc/passwd").is_err());
        for bad in [
            S3Settings { endpoint: "ftp://x".into(), ..settings() },
            S3Settings { endpoint: "http://host/path".into(), ..settings() },
            S3Settings { bucket: "Bad_Bucket".into(), ..settings() },
            S3Settings { secret_access_key: String::new(), ..settings() },
            S3Settings { prefix: "a b".into(), ..settings() },
        ] {
            assert!(S3Storage::new(bad).is_err());
        }
    }
}

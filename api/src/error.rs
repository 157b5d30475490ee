//! One error type for the whole API, rendered as RFC 9457 `application/problem+json` with a
//! stable snake_case `code` that the web app turns into a Vietnamese sentence.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// A problem with one input field.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// The field, as a dotted path into the request (`applicant.phone`), or a query parameter.
    pub field: String,
    /// Stable code: `required`, `too_short`, `too_long`, `invalid_format`, `invalid_value`,
    /// `already_exists`, `wrong_password`, `not_found`, `unknown_field`.
    pub code: String,
    /// A Vietnamese sentence for people who read the raw response.
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// The problem+json body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem kind (`urn:thanthien:problem:<code>`).
    #[serde(rename = "type")]
    pub kind: String,
    /// Short Vietnamese summary.
    pub title: String,
    pub status: u16,
    /// What went wrong in this instance.
    pub detail: String,
    /// Stable machine-readable code.
    pub code: String,
    /// Field errors, for `validation_failed`.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub errors: Vec<FieldError>,
}

/// Every way a request can fail.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("authentication required")]
    Unauthenticated,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("permission denied")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("malformed request: {0}")]
    MalformedBody(String),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    /// A business rule refuses the action (409). `code` is the rule's stable name
    /// (`invalid_transition`, `apology_required`, …), `detail` a Vietnamese sentence.
    #[error("refused ({code}): {detail}")]
    Rule { code: &'static str, detail: String },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// The uploads all requests have in flight fill the server's budget
    /// (`server.upload_budget_mb`); 503 with `Retry-After`, nothing was kept.
    #[error("too many uploads in flight")]
    UploadsBusy,
    /// The disk holding the database or the files is full (507). Clears by itself once space
    /// is freed.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// The client did not send its request (head or body) in time (408).
    #[error("request timeout")]
    RequestTimeout,
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A single-field validation error.
    pub fn field(field: &str, code: &str, message: &str) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A business-rule refusal: 409 with `code` and a Vietnamese `detail`.
    pub fn rule(code: &'static str, detail: impl Into<String>) -> Self {
        AppError::Rule { code, detail: detail.into() }
    }

    /// The stable code clients switch on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::InvalidCredentials => "invalid_credentials",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::MalformedBody(_) => "malformed_body",
            AppError::Validation(_) => "validation_failed",
            AppError::Conflict(_) => "conflict",
            AppError::Rule { code, .. } => code,
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::Unavailable(_) => "service_unavailable",
            AppError::UploadsBusy => "uploads_busy",
            AppError::StorageFull(_) => "storage_full",
            AppError::RequestTimeout => "request_timeout",
            AppError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "Cần đăng nhập",
            AppError::InvalidCredentials => "Sai tên đăng nhập hoặc mật khẩu",
            AppError::Forbidden => "Không có quyền thực hiện",
            AppError::NotFound => "Không tìm thấy",
            AppError::MethodNotAllowed => "Phương thức không được hỗ trợ",
            AppError::MalformedBody(_) => "Yêu cầu không đúng định dạng",
            AppError::Validation(_) => "Dữ liệu chưa hợp lệ",
            AppError::Conflict(_) => "Xung đột dữ liệu",
            AppError::Rule { .. } => "Không thực hiện được thao tác",
            AppError::PayloadTooLarge => "Dữ liệu gửi lên quá lớn",
            AppError::UnsupportedMediaType => "Kiểu dữ liệu không được hỗ trợ",
            AppError::RateLimited { .. } => "Thử quá nhiều lần",
            AppError::Unavailable(_) => "Hệ thống tạm thời không sẵn sàng",
            AppError::UploadsBusy => "Máy chủ đang nhận nhiều tệp",
            AppError::StorageFull(_) => "Ổ đĩa của máy chủ đã đầy",
            AppError::RequestTimeout => "Gửi yêu cầu quá chậm",
            AppError::Internal(_) => "Lỗi hệ thống",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::MalformedBody(d) => d.clone(),
            AppError::Conflict(d) => d.clone(),
            AppError::Rule { detail, .. } => detail.clone(),
            AppError::RateLimited { retry_after_secs } => {
                format!("Vui lòng thử lại sau {retry_after_secs} giây.")
            }
            AppError::Validation(errs) => format!("{} trường chưa hợp lệ.", errs.len()),
            // Internal details go to the log, never to the client.
            AppError::Internal(_) | AppError::Unavailable(_) => "Vui lòng thử lại sau.".into(),
            AppError::StorageFull(_) => {
                "Máy chủ hết chỗ lưu dữ liệu nên chưa ghi được. Hãy báo quản trị viên giải phóng ổ đĩa rồi thử lại."
                    .into()
            }
            AppError::RequestTimeout => "Dữ liệu gửi lên quá chậm nên kết nối bị ngắt. Vui lòng thử lại.".into(),
            AppError::UploadsBusy => format!(
                "Máy chủ đang nhận quá nhiều tệp cùng lúc nên chưa lưu gì. Vui lòng gửi lại sau {UNAVAILABLE_RETRY_AFTER_SECS} giây."
            ),
            _ => self.title().into(),
        }
    }

    /// The problem body for this error.
    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("urn:thanthien:problem:{}", self.code()),
            title: self.title().into(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code().into(),
            errors: match self {
                AppError::Validation(e) => e.clone(),
                _ => Vec::new(),
            },
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::MalformedBody(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) | AppError::Rule { .. } => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::UploadsBusy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(d) => tracing::error!(error = %d, "internal error"),
            AppError::Unavailable(d) => tracing::warn!(error = %d, "service unavailable"),
            AppError::StorageFull(d) => tracing::error!(error = %d, "storage full: free disk space"),
            _ => {}
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            AppError::RateLimited { retry_after_secs } => {
                res.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            AppError::Unavailable(_) | AppError::UploadsBusy => {
                res.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECS.to_string()));
            }
            AppError::RequestTimeout => {
                res.insert_header((header::CONNECTION, "close"));
            }
            _ => {}
        }
        if matches!(self, AppError::Unauthenticated | AppError::InvalidCredentials) {
            res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        res.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

/// `Retry-After` of every 503: long enough for a pool to reconnect or a lock to clear.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

/// Whether an I/O error means "no space left" (ENOSPC, or EDQUOT: over the disk quota).
pub fn is_storage_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.kind() == std::io::ErrorKind::QuotaExceeded
}

/// Whether a database error's text means its disk is full: SQLite's `SQLITE_FULL`, or
/// PostgreSQL's `disk_full` (53100) whose message quotes the operating system.
fn is_db_storage_full(text: &str) -> bool {
    text.contains("database or disk is full") || text.contains("No space left on device")
}

impl AppError {
    /// An I/O failure of `what` (`storage`, `data directory`): 507 `storage_full` when the
    /// disk is full, else an internal error.
    pub fn io(what: &str, e: std::io::Error) -> AppError {
        if is_storage_full(&e) {
            AppError::storage_full(format!("{what}: {e}"))
        } else {
            AppError::Internal(format!("{what}: {e}"))
        }
    }

    /// A 507 `storage_full`.
    pub fn storage_full(detail: String) -> AppError {
        AppError::StorageFull(detail)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                AppError::Conflict(format!("Bản ghi đã tồn tại ({}).", info.constraint_name().unwrap_or("unique")))
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                AppError::Conflict("Dữ liệu vừa bị thay đổi đồng thời, vui lòng thử lại.".into())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => {
                AppError::Unavailable(e.to_string())
            }
            other => {
                let text = other.to_string();
                // SQLite reports a lock that outlived busy_timeout as a plain error.
                if text.contains("database is locked") || text.contains("database is busy") {
                    AppError::Unavailable(text)
                } else if is_db_storage_full(&text) {
                    AppError::storage_full(text)
                } else {
                    AppError::Internal(text)
                }
            }
        }
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// Result alias for handlers and domain functions.
pub type AppResult<T> = Result<T, AppError>;

/// Collects field errors and turns them into one `validation_failed`.
#[derive(Default, Debug)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error.
    pub fn add(&mut self, field: &str, code: &str, message: &str) {
        self.errors.push(FieldError::new(field, code, message));
    }

    /// Checks a required text field's trimmed length in characters.
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) {
        let n = value.trim().chars().count();
        if n == 0 && min > 0 {
            self.add(field, "required", "Trường này là bắt buộc.");
        } else if n < min {
            self.add(field, "too_short", &format!("Cần ít nhất {min} ký tự."));
        } else if n > max {
            self.add(field, "too_long", &format!("Tối đa {max} ký tự."));
        }
        if value.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            self.add(field, "invalid_format", "Có ký tự điều khiển không hợp lệ.");
        }
    }

    /// A phone number as people write it ("0912 000 777", "+84 (912) 000.777"): 8–15 digits,
    /// and nothing but spaces and `+ . - ( )` between them. An empty one is left to the caller
    /// (missing, or not asked for).
    pub fn phone(&mut self, field: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let written = value.chars().all(|c| c.is_ascii_digit() || " +.-()".contains(c));
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !written || !(8..=15).contains(&digits) {
            self.add(field, "invalid_format", "Số điện thoại gồm 8–15 chữ số.");
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was recorded.
    pub fn finish(self) -> AppResult<()> {
        if self.errors.is_empty() { Ok(()) } else { Err(AppError::Validation(self.errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::MessageBody;

    #[test]
    fn problem_envelope_has_stable_fields() {
        let err = AppError::field("username", "required", "Bắt buộc");
        let res = err.error_response();
        assert_eq!(res.status(), 422);
        assert_eq!(res.headers().get("content-type").unwrap(), "application/problem+json");
        let body = res.into_body().try_into_bytes().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["code"], "validation_failed");
        assert_eq!(v["type"], "urn:thanthien:problem:validation_failed");
        assert_eq!(v["status"], 422);
        assert_eq!(v["errors"][0]["field"], "username");
        assert_eq!(v["errors"][0]["code"], "required");
    }

    #[test]
    fn rule_refusal_is_a_conflict_with_its_own_code() {
        let res = AppError::rule("apology_required", "Cần thư xin lỗi.").error_response();
        assert_eq!(res.status(), 409);
        let body = res.into_body().try_into_bytes().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["code"], "apology_required");
        assert_eq!(v["type"], "urn:thanthien:problem:apology_required");
        assert_eq!(v["title"], "Không thực hiện được thao tác");
        assert_eq!(v["detail"], "Cần thư xin lỗi.");
        assert!(v.get("errors").is_none());
    }

    #[test]
    fn internal_errors_do_not_leak_details() {
        let res = AppError::Internal("password=hunter2 in SQL".into()).error_response();
        let body = res.into_body().try_into_bytes().unwrap();
        assert!(!String::from_utf8_lossy(&body).contains("hunter2"));
    }

    #[test]
    fn rate_limit_sets_retry_after() {
        let res = AppError::RateLimited { retry_after_secs: 42 }.error_response();
        assert_eq!(res.headers().get("retry-after").unwrap(), "42");
    }

    #[test]
    fn every_unavailable_answer_says_when_to_retry() {
        let res = AppError::Unavailable("pool timed out".into()).error_response();
        assert_eq!(res.status(), 503);
        assert_eq!(res.headers().get("retry-after").unwrap(), &UNAVAILABLE_RETRY_AFTER_SECS.to_string());
        let res = AppError::from(closed_connection()).error_response();
        assert_eq!(res.status(), 503);
        assert!(res.headers().contains_key("retry-after"));
    }

    fn closed_connection() -> diesel::result::Error {
        diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection unexpectedly".to_string()),
        )
    }

    #[test]
    fn a_full_disk_is_507_storage_full() {
        use diesel::result::{DatabaseErrorKind, Error};
        let sqlite = Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new("database or disk is full".to_string()));
        let pg = Error::DatabaseError(
            DatabaseErrorKind::Unknown,
            Box::new("could not extend file \"base/16384/16385\": No space left on device".to_string()),
        );
        for e in [sqlite, pg] {
            let err = AppError::from(e);
            assert_eq!(err.code(), "storage_full");
            let res = err.error_response();
            assert_eq!(res.status(), 507);
            let body = res.into_body().try_into_bytes().unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["code"], "storage_full");
            assert!(!v["detail"].as_str().unwrap().contains("base/16384"), "no internals in the answer");
        }
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert_eq!(AppError::io("storage", io).code(), "storage_full");
        let io = std::io::Error::from_raw_os_error(28); // ENOSPC
        assert_eq!(AppError::io("storage", io).code(), "storage_full");
        let other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(AppError::io("storage", other).code(), "internal_error");
    }

    #[test]
    fn a_slow_request_is_408_and_closes() {
        let res = AppError::RequestTimeout.error_response();
        assert_eq!(res.status(), 408);
        assert_eq!(res.headers().get("connection").unwrap(), "close");
    }

    #[test]
    fn validator_takes_a_phone_as_people_write_it() {
        let mut v = Validator::new();
        for ok in ["0912 000 777", "+84 (912) 000.777", "024-3823-1234", "", "   "] {
            v.phone("ok", ok);
        }
        assert!(v.is_empty());
        for bad in ["12ab", "0912", "0912 000 777 000 777", "0912/000/777"] {
            v.phone(bad, bad);
        }
        let AppError::Validation(errors) = v.finish().unwrap_err() else { panic!("validation") };
        assert_eq!(errors.len(), 4);
        assert!(errors.iter().all(|e| e.code == "invalid_format"));
    }

    #[test]
    fn validator_checks_lengths_in_characters() {
        let mut v = Validator::new();
        v.text("name", "Đồng", 4, 4);
        v.text("empty", "  ", 1, 10);
        v.text("long", "abcdef", 1, 3);
        let Err(AppError::Validation(errs)) = v.finish() else { panic!("expected errors") };
        assert_eq!(errs.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["required", "too_long"]);
    }
}

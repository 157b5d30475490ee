//! The OpenAPI document: collected from the handlers' annotations, then completed with the
//! parts every operation shares (security scheme, sign-in requirement, problem responses).
//!
//! Every operation requires a bearer token unless its path is one of the few that answer
//! without an account ([`answers_anyone`]): handlers do not repeat `security(...)`.

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{OpenApi as _, PartialSchema, ToSchema};

use crate::error::{FieldError, Problem};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Thân Thiện API",
        description = "API của hệ thống Thân Thiện — “Chính quyền thân thiện, vì Nhân dân phục vụ”. \
Errors are RFC 9457 problem+json with a stable `code`. Authenticate with `POST /api/v1/auth/login` \
and send the access token as `Authorization: Bearer …`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    tags(
        (name = "auth", description = "Đăng nhập, phiên, mật khẩu / sign-in, sessions, passwords"),
        (name = "org", description = "Xã, đơn vị, tài khoản / communes, units, accounts"),
        (name = "audit", description = "Nhật ký kiểm tra / audit log"),
        (name = "calendar", description = "Lịch làm việc, âm lịch, hạn giải quyết / working calendar, lunar calendar, deadlines"),
        (name = "onestop", description = "Một cửa: thủ tục, hồ sơ / one-stop shop: procedures, dossiers"),
        (name = "plans", description = "Kế hoạch, nhiệm vụ, báo cáo tiến độ / plans, tasks, progress reports"),
        (name = "system", description = "Thông tin hệ thống / system information"),
        (name = "integration", description = "Khóa API cho hệ thống khác / API keys for other systems"),
        (name = "democracy", description = "Dân chủ cơ sở: công khai, đối thoại / grassroots democracy: disclosures, dialogues"),
        (name = "petitions", description = "Đơn thư: kiến nghị, phản ánh, khiếu nại, tố cáo / petitions: recommendations, feedback, complaints, denunciations"),
        (name = "reception", description = "Tiếp công dân / citizen reception"),
        (name = "surveys", description = "Khảo sát sự hài lòng / satisfaction surveys"),
        (name = "evaluation", description = "Đánh giá mô hình, báo cáo chính thức / evaluation of the model, the official report"),
        (name = "open311", description = "Open311 GeoReport v2: phản ánh, kiến nghị từ ứng dụng khác / feedback from other apps (served under /open311/v2, errors as the spec writes them)"),
        (name = "notifications", description = "Thông báo, nhắc việc, bản tin hằng ngày / notifications, reminders, daily digest"),
        (name = "home", description = "Trang chủ theo vai trò / the home page of each role"),
    )
)]
struct Base;

/// The starting document (info, tags) that route collection fills in.
pub fn base() -> OpenApi {
    Base::openapi()
}

fn problem_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
            )
            .build(),
    )
}

/// Every error body is problem+json, even where a handler's annotation only named the schema.
fn problem_media_type(op: &mut Operation) {
    for (status, resp) in op.responses.responses.iter_mut() {
        if !(status.starts_with('4') || status.starts_with('5')) {
            continue;
        }
        if let RefOr::T(resp) = resp
            && let Some(content) = resp.content.shift_remove("application/json")
        {
            resp.content.insert("application/problem+json".into(), content);
        }
    }
}

fn add_problems(op: &mut Operation, protected: bool, has_body: bool, has_params: bool) {
    let mut add = |code: &str, text: &str| {
        op.responses.responses.entry(code.to_string()).or_insert_with(|| problem_response(text));
    };
    if protected {
        add("401", "Not signed in, or the session ended (`unauthenticated`)");
        add("403", "The role lacks the permission (`forbidden`)");
    }
    if has_body {
        add("400", "Body is not JSON (`malformed_body`)");
        add("413", "Body too large (`payload_too_large`)");
        add("415", "Body is not application/json (`unsupported_media_type`)");
    }
    if has_body || has_params {
        add("422", "Invalid input, with field errors (`validation_failed`)");
    }
    add("404", "Not found, or outside the caller's scope (`not_found`)");
    add("503", "Database unavailable (`service_unavailable`)");
    add("500", "Unexpected server error (`internal_error`)");
}

/// The operations that answer without an account: citizens' pages (`/api/v1/public/…`), the
/// sign-in steps, the server's public info and Open311. Everything else is documented as
/// requiring a bearer token (the `AuthUser` extractor is what enforces it).
fn answers_anyone(path: &str) -> bool {
    const SIGN_IN: [&str; 6] = [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/auth/mfa/verify",
        "/api/v1/auth/mfa/enrol/setup",
        "/api/v1/auth/mfa/enrol/confirm",
    ];
    path.starts_with("/api/v1/public/")
        || path.starts_with("/open311/")
        || path == "/api/v1/system/info"
        || SIGN_IN.contains(&path)
}

fn require_bearer(op: &mut Operation) {
    if op.security.is_none() {
        op.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

/// Adds the bearer and API key schemes, the sign-in requirement, the Problem schema and the
/// shared error responses.
pub fn finish(mut api: OpenApi) -> OpenApi {
    let components = api.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        RefOr::T(SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build())),
    );
    components.security_schemes.insert(
        "api_key".into(),
        RefOr::T(SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-API-Key",
            "A system's API key (`tt_live_…`, `tt_test_…`), made by an admin under /api-keys. \
             It may also be sent as `Authorization: Bearer tt_live_…`.",
        )))),
    );
    components.schemas.insert(Problem::name().into_owned(), Problem::schema());
    components.schemas.insert(FieldError::name().into_owned(), FieldError::schema());
    for (path, item) in api.paths.paths.iter_mut() {
        if !answers_anyone(path) {
            for op in
                [&mut item.get, &mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten()
            {
                require_bearer(op);
            }
        }
        // Open311 answers its errors as the GeoReport spec writes them, not problem+json.
        if path.starts_with("/open311/") {
            continue;
        }
        if let Some(op) = item.get.as_mut()
            && crate::integration::gate::accepts_keys("GET", path)
        {
            accept_keys(op);
        }
        let ops = [
            item.get.as_mut().map(|o| (o, false)),
            item.post.as_mut().map(|o| (o, true)),
            item.put.as_mut().map(|o| (o, true)),
            item.patch.as_mut().map(|o| (o, true)),
            item.delete.as_mut().map(|o| (o, false)),
        ];
        for (op, write) in ops.into_iter().flatten() {
            let protected = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let has_body = write && op.request_body.is_some();
            let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
            problem_media_type(op);
            binary_files(op);
            add_problems(op, protected, has_body, has_params);
        }
    }
    api
}

/// A file travels as bytes: `type: string` with its `contentMediaType` (OpenAPI 3.1) and
/// `format: binary` (what generators written for 3.0 look for), never as an array of integers
/// or a JSON string.
fn binary_schema(media_type: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .content_media_type(media_type)
            .build(),
    ))
}

fn is_file(media_type: &str) -> bool {
    !(media_type.contains("json")
        || media_type.starts_with("multipart/")
        || media_type.contains("x-www-form-urlencoded"))
}

/// Declares every file response and every raw file upload (CSV, XLSX, PDF, images) as binary.
fn binary_files(op: &mut Operation) {
    for resp in op.responses.responses.values_mut() {
        if let RefOr::T(resp) = resp {
            for (media_type, content) in resp.content.iter_mut() {
                if let RefOr::T(content) = content
                    && is_file(media_type)
                {
                    content.schema = Some(binary_schema(media_type));
                }
            }
        }
    }
    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
        for (media_type, content) in body.content.iter_mut() {
            if let RefOr::T(content) = content
                && is_file(media_type)
            {
                content.schema = Some(binary_schema(media_type));
            }
        }
    }
}

/// Lists the `api_key` scheme beside `bearer` on an endpoint that accepts keys, with the
/// per-key rate limit's 429.
fn accept_keys(op: &mut Operation) {
    op.security.get_or_insert_with(Vec::new).push(SecurityRequirement::new("api_key", Vec::<String>::new()));
    op.responses.responses.entry("429".to_string()).or_insert_with(|| {
        problem_response("The key's requests per minute are spent (`rate_limited`, see Retry-After)")
    });
}

/// The whole document as YAML (what `openapi.yaml` holds).
///
/// The emitter writes YAML 1.2, where a plain `17:00` is a string. YAML 1.1 readers (PyYAML and
/// the generators built on it) read it as the base-60 number 1020, so such scalars are quoted.
pub fn to_yaml(api: &OpenApi) -> Result<String, String> {
    let yaml = api.to_yaml().map_err(|e| e.to_string())?;
    Ok(yaml.split_inclusive('\n').map(quote_sexagesimal).collect())
}

/// `key: 17:00` → `key: '17:00'` (likewise a list item `- 17:00`); any other line as it is.
fn quote_sexagesimal(line: &str) -> std::borrow::Cow<'_, str> {
    let body = line.trim_end_matches('\n');
    // A mapping's value (`key: …`, the key a plain word) or a list item; a line of prose inside a
    // block scalar ("Giờ làm: 17:00") is left as it is.
    let key =
        |k: &str| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'$'));
    let at = match body.rfind(": ") {
        Some(i) if key(body[..i].trim_start().trim_start_matches("- ")) => i + 2,
        Some(_) => return line.into(),
        None => match body.trim_start().strip_prefix("- ") {
            Some(rest) => body.len() - rest.len(),
            None => return line.into(),
        },
    };
    let value = &body[at..];
    let mut groups = value.split(':');
    let first = groups.next().unwrap_or_default();
    let rest: Vec<&str> = groups.collect();
    let digits = |g: &str, max: usize| !g.is_empty() && g.len() <= max && g.bytes().all(|b| b.is_ascii_digit());
    if rest.is_empty() || !digits(first, usize::MAX) || !rest.iter().all(|g| digits(g, 2)) {
        return line.into();
    }
    format!("{}'{value}'{}", &body[..at], &line[body.len()..]).into()
}

#[cfg(test)]
mod tests {
    use utoipa::openapi::path::OperationBuilder;

    use super::*;

    #[test]
    fn clock_times_are_quoted_for_yaml_1_1_readers() {
        for (line, want) in [
            ("          example: 17:00\n", "          example: '17:00'\n"),
            ("  - 07:30:15\n", "  - '07:30:15'\n"),
            ("example: 17:00", "example: '17:00'"),
        ] {
            assert_eq!(quote_sexagesimal(line), want, "{line:?}");
        }
        for line in [
            "example: '17:00'\n",
            "description: 'a: 17:00'\n",
            "example: 1700\n",
            "example: 17:0x\n",
            "example: 17:000\n",
            "example: :00\n",
            "paths:\n",
            "        Giờ làm: 17:00\n",
        ] {
            assert_eq!(quote_sexagesimal(line), line, "{line:?}");
        }
    }

    #[test]
    fn only_the_public_paths_answer_anyone() {
        for path in
            ["/api/v1/public/procedures", "/api/v1/auth/login", "/api/v1/system/info", "/open311/v2/services.json"]
        {
            assert!(answers_anyone(path), "{path}");
        }
        for path in ["/api/v1/auth/me", "/api/v1/auth/password", "/api/v1/users", "/api/v1/publicity", "/api/v1/system"]
        {
            assert!(!answers_anyone(path), "{path}");
        }
    }

    #[test]
    fn an_operation_requires_a_bearer_token_unless_it_says_otherwise() {
        let mut plain = OperationBuilder::new().build();
        require_bearer(&mut plain);
        let names = |op: &Operation| serde_json::to_value(&op.security).unwrap_or_default().to_string();
        assert_eq!(names(&plain), r#"[{"bearer":[]}]"#);
        let mut keyed =
            OperationBuilder::new().security(SecurityRequirement::new("api_key", Vec::<String>::new())).build();
        require_bearer(&mut keyed);
        assert_eq!(names(&keyed), r#"[{"api_key":[]}]"#);
    }
}

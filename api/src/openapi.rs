//! The OpenAPI document: collected from the handlers' annotations, then completed with the
//! parts every operation shares (security scheme, problem responses).

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        (name = "surveys", description = "Khảo sát sự hài lòng / satisfaction surveys"),
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

/// Adds the bearer scheme, the Problem schema and the shared error responses.
pub fn finish(mut api: OpenApi) -> OpenApi {
    let components = api.components.get_or_insert_with(Default::default);
    components.security_schemes.insert(
        "bearer".into(),
        RefOr::T(SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build())),
    );
    components.schemas.insert(Problem::name().into_owned(), Problem::schema());
    components.schemas.insert(FieldError::name().into_owned(), FieldError::schema());
    for item in api.paths.paths.values_mut() {
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
            add_problems(op, protected, has_body, has_params);
        }
    }
    api
}

/// The whole document as YAML (what `openapi.yaml` holds).
pub fn to_yaml(api: &OpenApi) -> Result<String, String> {
    api.to_yaml().map_err(|e| e.to_string())
}

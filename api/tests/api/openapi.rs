//! The committed `openapi.yaml` is what the code generates, and the document is complete.

#[test]
fn committed_openapi_matches_the_code() {
    let generated = thanthien::openapi::to_yaml(&thanthien::openapi_spec()).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi.yaml is out of date: run `cargo run -p thanthien -- export-openapi` (or `make openapi`) and commit it"
    );
}

#[test]
fn every_operation_is_documented_and_secured() {
    let spec = serde_json::to_value(thanthien::openapi_spec()).unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(spec["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    // The MFA step of a sign-in is authorised by its challenge token (in the body), not a bearer.
    let public = [
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/api/v1/system/info",
        "/api/v1/auth/mfa/verify",
        "/api/v1/auth/mfa/enrol/setup",
        "/api/v1/auth/mfa/enrol/confirm",
    ];
    let mut n = 0;
    let mut operation_ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            n += 1;
            // Client generators name their functions after it: two alike break them.
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            assert!(
                !id.is_empty() && operation_ids.insert(id.clone()),
                "{method} {path}: operationId {id:?} is empty or taken"
            );
            for (status, resp) in op["responses"].as_object().unwrap() {
                assert!(
                    resp["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {path} {status} lacks a description"
                );
                if status.starts_with('4') || status.starts_with('5') {
                    let types: Vec<&String> =
                        resp["content"].as_object().map(|c| c.keys().collect()).unwrap_or_default();
                    // Open311 answers errors as the GeoReport spec writes them (a JSON list).
                    let open311 = path.starts_with("/open311/");
                    assert!(
                        types.iter().all(|t| *t == "application/problem+json" || (open311 && *t == "application/json")),
                        "{method} {path} {status}: {types:?}"
                    );
                }
            }
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            // Open311 reads are public; its post carries `api_key` in the form, as the spec says.
            let is_public = public.contains(&path.as_str())
                || path.starts_with("/api/v1/public/")
                || path.starts_with("/open311/v2/");
            assert_eq!(secured, !is_public, "{method} {path} security");
            if secured {
                assert!(
                    op["responses"]["401"].is_object() && op["responses"]["403"].is_object(),
                    "{method} {path} error responses"
                );
            }
        }
    }
    assert!(n >= 16, "{n} operations");
}

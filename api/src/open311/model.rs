//! Open311 GeoReport v2 types: stored rows, the spec's documents (with the spec's field and
//! element names), the form a client posts, the list filters, and the XML rendering.

use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// The spec's URL, named in the discovery document.
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// When this endpoint's behaviour last changed (discovery's `changeset`).
pub const CHANGESET: &str = "2026-12-03T00:00:00+07:00";

/// A feedback category (a service code). `commune_id = None`: a default every commune offers
/// until it has categories of its own.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = crate::db::schema::feedback_categories)]
pub struct CategoryRow {
    pub id: i64,
    pub commune_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub description: String,
    /// feedback or recommendation: the petition kind a request of this service becomes.
    pub kind: String,
    pub grouping: String,
    pub keywords: String,
    pub position: i32,
    pub active: bool,
}

/// What Open311 keeps beside the petition.
#[derive(Debug, Clone, diesel::Queryable, diesel::Selectable, diesel::Insertable)]
#[diesel(table_name = crate::db::schema::open311_requests)]
pub struct RequestRow {
    pub petition_id: i64,
    pub commune_id: i64,
    pub service_code: String,
    pub token: String,
    pub api_key_id: i64,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub address: Option<String>,
    pub created_at: NaiveDateTime,
    /// The posted `media_url` (text only: never fetched).
    pub media_url: Option<String>,
}

/// The response format, from the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `json` or `xml`; anything else is not a format this endpoint serves.
    pub fn parse(ext: &str) -> Option<Format> {
        match ext {
            "json" => Some(Format::Json),
            "xml" => Some(Format::Xml),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Xml => "text/xml; charset=utf-8",
        }
    }
}

/// One endpoint of the discovery document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiscoveryEndpoint {
    pub specification: String,
    pub url: String,
    pub changeset: String,
    /// production
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: Vec<String>,
}

/// `discovery.json`: where the service is, which formats it speaks.
#[derive(Debug, Serialize, ToSchema)]
pub struct Discovery {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<DiscoveryEndpoint>,
}

/// One service (a feedback category of the commune).
#[derive(Debug, Serialize, ToSchema)]
pub struct Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    /// Always true: every service has the `village` attribute.
    pub metadata: bool,
    /// realtime: a request is a petition at once.
    #[serde(rename = "type")]
    pub kind: String,
    pub keywords: String,
    pub group: String,
}

/// One allowed value of a list attribute.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttributeValue {
    pub key: String,
    pub name: String,
}

/// One attribute of a service definition.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attribute {
    pub variable: bool,
    pub code: String,
    /// string, number, datetime, text, singlevaluelist, multivaluelist.
    pub datatype: String,
    pub required: bool,
    pub datatype_description: String,
    pub order: i32,
    pub description: String,
    pub values: Vec<AttributeValue>,
}

/// `services/{code}.json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDefinition {
    pub service_code: String,
    pub attributes: Vec<Attribute>,
}

/// What `POST requests` answers (one element).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedRequest {
    /// The petition's code (`DT-yymmdd-nnnn`).
    pub service_request_id: String,
    /// A random token to find the request by (`tokens/{token}`).
    pub token: String,
    pub service_notice: String,
    pub account_id: Option<String>,
}

/// One service request as anyone may read it: no name, phone, e-mail or petition content.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRequest {
    pub service_request_id: String,
    /// open or closed.
    pub status: String,
    /// The answer the commune published (only when it made it public).
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    /// The service's description (never the submitted text, which may name people).
    pub description: Option<String>,
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: DateTime<FixedOffset>,
    pub updated_datetime: DateTime<FixedOffset>,
    /// The legal due time of the running clock.
    pub expected_datetime: Option<DateTime<FixedOffset>>,
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub zipcode: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
}

/// `tokens/{token}`: the request a token stands for.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenAnswer {
    pub service_request_id: String,
    pub token: String,
}

/// An error as the spec writes it (`[{"code":…,"description":…}]`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Open311Error {
    pub code: u16,
    pub description: String,
}

/// `?jurisdiction_id`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JurisdictionQuery {
    /// The commune's code (its number when it has none). Required: one endpoint serves every
    /// commune.
    pub jurisdiction_id: Option<String>,
}

/// Filters of `GET requests`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestFilter {
    pub jurisdiction_id: Option<String>,
    /// Comma-separated request ids; overrides the other filters.
    pub service_request_id: Option<String>,
    /// Comma-separated service codes.
    pub service_code: Option<String>,
    /// W3C date-time; with `end_date`, at most 90 days apart (default: the last 90 days).
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    /// Comma-separated: open, closed.
    pub status: Option<String>,
}

/// The form of `POST requests` (application/x-www-form-urlencoded, as the spec says).
/// Personal fields (`email`, `first_name`, `last_name`, `phone`) reach the petition (the
/// commune answers its petitioner) and are never in any Open311 response.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RequestForm {
    /// An integration key with the `submit_feedback` scope.
    pub api_key: Option<String>,
    pub jurisdiction_id: Option<String>,
    pub service_code: Option<String>,
    pub lat: Option<String>,
    pub long: Option<String>,
    pub address_string: Option<String>,
    pub address_id: Option<String>,
    pub email: Option<String>,
    pub device_id: Option<String>,
    pub account_id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub description: Option<String>,
    pub media_url: Option<String>,
    /// `attribute[village]`: the village (thôn) the problem is in (a unit id).
    #[serde(rename = "attribute[village]")]
    pub attribute_village: Option<String>,
}

/// The multipart form of `POST requests` (FixMyStreet's extension): the fields of
/// [`RequestForm`] and one optional `media` photo (JPEG, PNG or WebP, checked by content),
/// kept with the petition for the commune's staff (never served through Open311).
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct RequestMultipart {
    #[serde(flatten)]
    pub form: RequestForm,
    #[schema(value_type = Option<String>, format = Binary)]
    pub media: Option<Vec<u8>>,
}

/// The element an array's items get in XML (the spec's names).
fn item_name(list: &str) -> &'static str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        "errors" => "error",
        _ => "item",
    }
}

fn write_value(out: &mut String, name: &str, v: &Value) {
    match v {
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            let inner = item_name(name);
            for i in items {
                write_value(out, inner, i);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(fields) => {
            out.push_str(&format!("<{name}>"));
            for (k, f) in fields {
                write_value(out, k, f);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Null => out.push_str(&format!("<{name}/>")),
        Value::String(s) => out.push_str(&format!("<{name}>{}</{name}>", quick_xml::escape::escape(s.as_str()))),
        other => out.push_str(&format!("<{name}>{other}</{name}>")),
    }
}

/// A document as the spec's XML: `root` holds the value (a list's items are named after the
/// list: `<services><service>…`, `<service_requests><request>…`).
pub fn to_xml(root: &str, v: &Value) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    write_value(&mut out, root, v);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_uses_the_spec_element_names_and_escapes_text() {
        let v = serde_json::json!([{ "service_code": "a&b", "metadata": true, "address": null }]);
        assert_eq!(
            to_xml("services", &v),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><address/><metadata>true</metadata>\
             <service_code>a&amp;b</service_code></service></services>"
        );
        let d = serde_json::json!({ "service_code": "x", "attributes": [{ "values": [{ "key": "1", "name": "Thôn <1>" }] }] });
        assert_eq!(
            to_xml("service_definition", &d),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><service_definition><attributes><attribute><values><value>\
             <key>1</key><name>Thôn &lt;1&gt;</name></value></values></attribute></attributes>\
             <service_code>x</service_code></service_definition>"
        );
    }
}

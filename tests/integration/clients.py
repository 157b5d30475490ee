"""Drives a running server through clients an integrator would use:

1. a typed client generated from openapi.yaml by openapi-python-client: sign-in, a list,
   exports as bytes (XLSX, CSV, the national export), and calls with an API key;
2. the `georeport` Open311 GeoReport v2 client library: services, a service definition,
   requests and one request, in JSON and XML. That library has no call to post a request
   (no Python 3 client on PyPI has one: `open311` 1.1 and `three` 0.8 are Python 2 only), so
   the post is the spec's form-encoded request sent with `requests`, and the token lookup too.

3. PyYAML, a YAML 1.1 reader as many generators are: the committed spec reads the same.

Environment: TT_BASE (http://127.0.0.1:port), TT_CLIENT_DIR (folder holding `tt_client`),
TT_SPEC (the committed openapi.yaml).
"""

import datetime
import io
import os
import re
import sys
import zipfile

import requests
import yaml
from georeport import GeoReport

BASE = os.environ["TT_BASE"]
sys.path.insert(0, os.environ["TT_CLIENT_DIR"])

from tt_client import AuthenticatedClient, Client  # noqa: E402
from tt_client.api.auth import login  # noqa: E402
from tt_client.api.integration import create_key  # noqa: E402
from tt_client.api.onestop import (  # noqa: E402
    get_indicators,
    indicators_csv,
    indicators_xlsx,
    national_export,
)
from tt_client.api.org import list_units  # noqa: E402
from tt_client.models import CreateApiKey, LoginRequest, NationalExport, PageUnit, TokenResponse  # noqa: E402
from tt_client.types import File  # noqa: E402

checks = 0


def check(cond, what):
    global checks
    if not cond:
        raise SystemExit(f"FAILED: {what}")
    checks += 1
    print(f"  ok  {what}")


def file_bytes(parsed):
    """A file response as the generated client hands it over."""
    check(isinstance(parsed, File), f"a file response parses as File (got {type(parsed).__name__})")
    return parsed.payload.read()


# ---- the spec through a YAML 1.1 reader -------------------------------------------------
print("openapi.yaml through PyYAML (YAML 1.1)")
with open(os.environ["TT_SPEC"], encoding="utf-8") as spec_file:
    spec = yaml.safe_load(spec_file)


def string_examples(node, where="#"):
    """Every (place, example) of a schema that declares itself a string."""
    if isinstance(node, dict):
        if node.get("type") == "string" and "example" in node:
            yield where, node["example"]
        for key, value in node.items():
            yield from string_examples(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from string_examples(value, f"{where}/{i}")


examples = list(string_examples(spec))
misread = [(where, example) for where, example in examples if not isinstance(example, str)]
check(len(examples) > 0 and not misread, f"all {len(examples)} string examples read as strings (misread: {misread[:5]})")
hours = spec["components"]["schemas"]["WorkingHours"]["properties"]
check(hours["afternoon_end"]["example"] == "17:00", "WorkingHours' 17:00 stays 17:00, not the base-60 1020")

# ---- the generated client ------------------------------------------------------------
print("generated client (openapi-python-client)")
anon = Client(base_url=BASE)
signed = login.sync(client=anon, body=LoginRequest.from_dict({"username": "admin", "password": "thanthien-demo"}))
check(isinstance(signed, TokenResponse), "sign-in answers a TokenResponse model")
commune = signed.user.commune_id
admin = AuthenticatedClient(base_url=BASE, token=signed.access_token)

units = list_units.sync(client=admin, per_page=50)
check(isinstance(units, PageUnit) and units.total > 0, f"a list parses into a page model ({units.total} units)")

xlsx = indicators_xlsx.sync_detailed(client=admin)
check(xlsx.status_code == 200, "the indicators XLSX export answers 200")
data = file_bytes(xlsx.parsed)
check(zipfile.is_zipfile(io.BytesIO(data)), f"the XLSX export arrives as bytes of a workbook ({len(data)} bytes)")

# As a spreadsheet program reads it: a bold header kept in view, rates as percentages (numbers,
# not text), columns wide enough for their headers; the register's times as real dates.
import openpyxl  # noqa: E402

sheet = openpyxl.load_workbook(io.BytesIO(data)).active
header = [c.value for c in sheet[1]]
check(sheet.freeze_panes == "A2" and sheet["A1"].font.b, "the header row is bold and frozen")
rate = sheet.cell(row=2, column=header.index("Tỷ lệ trực tuyến") + 1)
check(isinstance(rate.value, float) and rate.number_format == "0.0%", f"a rate is a number shown as a percentage ({rate.value!r}, {rate.number_format})")
col = openpyxl.utils.get_column_letter(header.index("Thời hạn (ngày làm việc)") + 1)
check(sheet.column_dimensions[col].width >= len("Thời hạn (ngày làm việc)"), "a column is as wide as its header")
day_from = (datetime.date.today() - datetime.timedelta(days=60)).isoformat()
reg = requests.get(
    f"{BASE}/api/v1/onestop/register.xlsx",
    params={"from": day_from, "to": datetime.date.today().isoformat()},
    headers={"Authorization": f"Bearer {signed.access_token}"},
    timeout=60,
)
check(reg.status_code == 200, f"the register XLSX answers 200 ({reg.status_code})")
regs = openpyxl.load_workbook(io.BytesIO(reg.content)).active
received = regs.cell(row=2, column=[c.value for c in regs[1]].index("Ngày nhận") + 1)
check(isinstance(received.value, datetime.datetime) and received.number_format == "dd/mm/yyyy hh:mm", f"a time of the register is a date ({received.value!r})")

# The evaluation's annexes: a title merged above the header, both kept in view, column A as
# narrow as its numbers, and a task left open after its due day said to be late.
bdh = requests.post(f"{BASE}/api/v1/auth/login", json={"username": "bdh", "password": "thanthien-demo"}, timeout=30).json()
bdh_auth = {"Authorization": f"Bearer {bdh['access_token']}"}
evaluation = requests.get(f"{BASE}/api/v1/evaluations", params={"year": 2023}, headers=bdh_auth, timeout=30).json()[0]["id"]
ann = requests.get(f"{BASE}/api/v1/evaluations/{evaluation}/annexes.xlsx", headers=bdh_auth, timeout=60)
check(ann.status_code == 200, f"the evaluation's annexes answer 200 ({ann.status_code})")
book = openpyxl.load_workbook(io.BytesIO(ann.content))
check(book.sheetnames == ["Phụ lục 1 - Nhiệm vụ", "Phụ lục 2 - Một cửa", "Phụ lục 3 - Khảo sát"], f"three annexes ({book.sheetnames})")
tasks = book["Phụ lục 1 - Nhiệm vụ"]
check(tasks["A1"].value.startswith("Phụ lục 1.") and "A1:H1" in [str(m) for m in tasks.merged_cells.ranges], "the title spans the table")
check(tasks.freeze_panes == "A3" and tasks["A1"].font.b and tasks["A2"].font.b, f"the title and the header are bold and stay in view ({tasks.freeze_panes})")
check(tasks.column_dimensions["A"].width <= 10, f"column A is as wide as its numbers ({tasks.column_dimensions['A'].width})")
late = [r for r in tasks.iter_rows(min_row=3, values_only=True) if r[5] in ("Đang thực hiện", "Chưa bắt đầu")]
check(late and all(r[7] == "Quá hạn, chưa hoàn thành" for r in late), f"a 2023 task still open is late ({late[:1]})")
index = book["Phụ lục 2 - Một cửa"]
caption = next(c for c in index["A"] if isinstance(c.value, str) and c.value.startswith("Bộ chỉ số 766"))
check(caption.font.b and any(str(m).startswith(f"A{caption.row}:") for m in index.merged_cells.ranges), "the 766 index's heading spans its section")

csv = indicators_csv.sync_detailed(client=admin)
text = file_bytes(csv.parsed).decode("utf-8-sig")
check(text.splitlines()[0].count(",") > 3, "the indicators CSV export arrives as bytes")

today = datetime.date.today()
since = today - datetime.timedelta(days=30)
ne = national_export.sync_detailed(client=admin, from_=since, to=today)
check(ne.status_code == 200 and isinstance(ne.parsed, NationalExport), "the national export (JSON) parses into its model")
check(ne.parsed.personal_data_masked, "masked for the admin")
# One operation answers JSON or CSV by `format`: generated functions parse the first media
# type, so the CSV is fetched with the generated client's own HTTP session.
raw = admin.get_httpx_client().get(
    "/api/v1/onestop/national-export", params={"from": since.isoformat(), "to": today.isoformat(), "format": "csv"}
)
check(raw.status_code == 200 and raw.content.decode("utf-8-sig").startswith("MaHoSo,MaTTHC,TenTTHC"),
      "the national export as CSV bytes with the national field names")

issued = create_key.sync(
    client=admin,
    body=CreateApiKey.from_dict(
        {
            "name": "Cổng tích hợp (kiểm thử)",
            "owner": "tests/integration",
            "kind": "live",
            "scopes": ["read_aggregates", "submit_feedback"],
        }
    ),
)
key = issued.secret
check(key.startswith("tt_live_"), "an API key issued through the generated client")
as_key = AuthenticatedClient(base_url=BASE, token=key)
ind = get_indicators.sync_detailed(client=as_key)
check(ind.status_code == 200 and ind.parsed is not None, "an API-key call (Bearer tt_live_…) parses into the indicators model")
keyed_xlsx = indicators_xlsx.sync_detailed(client=as_key)
check(zipfile.is_zipfile(io.BytesIO(file_bytes(keyed_xlsx.parsed))), "an XLSX export with the API key")
denied = list_units.sync_detailed(client=AuthenticatedClient(base_url=BASE, token="tt_live_00000000_" + "A" * 43))
check(denied.status_code == 401, "an unknown key is refused (401)")

# ---- Open311 through the georeport library ----------------------------------------------
print("Open311 GeoReport v2 (georeport client library)")
root = f"{BASE}/open311/v2"
gj = GeoReport(root, jurisdiction=str(commune), api_key=key)
gx = GeoReport(root, jurisdiction=str(commune), api_key=key, output_format="xml")
services = gj.get_service_list()
codes = [s["service_code"] for s in services]
check("moi-truong" in codes and "kien-nghi" in codes, f"services (JSON): {codes}")
services_xml = gx.get_service_list()
check([s["service_code"] for s in services_xml] == codes, "services (XML) name the same codes")
definition = gj.get_service_definition("moi-truong")
attr = definition["attributes"][0]
check(attr["code"] == "village" and attr["datatype"] == "singlevaluelist", "the definition's village attribute")
definition_xml = gx.get_service_definition("moi-truong")
check(definition_xml["service_code"] == "moi-truong", "the definition (XML)")
village = attr["values"][0]["key"]

# The spec's POST: form-encoded, api_key in the form; media_url is kept as text (never fetched).
MEDIA_URL = "https://photos.example.org/cau-tran/anh-1.jpg"
posted = requests.post(
    f"{root}/requests.json",
    data={
        "api_key": key,
        "jurisdiction_id": str(commune),
        "service_code": "moi-truong",
        "lat": "19.8",
        "long": "105.7",
        "address_string": "Cầu tràn thôn Nà Hin",
        "first_name": "Hà",
        "last_name": "Thị Kín",
        "phone": "0966 123 456",
        "email": "kin@example.org",
        "description": "Rác thải ùn ứ ở đầu cầu tràn, bốc mùi.",
        "attribute[village]": village,
        "media_url": MEDIA_URL,
    },
    timeout=30,
)
check(posted.status_code == 201, f"POST requests.json answers 201 ({posted.status_code})")
created = posted.json()[0]
sr_id, token = created["service_request_id"], created["token"]
check(sr_id.startswith("DT-") and len(token) == 32, f"service_request_id {sr_id} and a token")
no_key = requests.post(f"{root}/requests.json", data={"jurisdiction_id": str(commune), "service_code": "moi-truong"}, timeout=30)
check(no_key.status_code == 403 and no_key.json()[0]["code"] == 403, "without api_key: 403 in the spec's error list")

listed = gj.get_service_requests(service_code="moi-truong", status="open")
check(any(r["service_request_id"] == sr_id for r in listed), "the request in the filtered list (JSON)")
one = gj.get_service_request(sr_id)
check(one["status"] == "open" and one["expected_datetime"], "one request: open, with the legal due time")
one_xml = gx.get_service_request(sr_id)
check(one_xml["service_request_id"] == sr_id and one_xml["status"] == "open", "one request (XML)")
# Times, codes (DT-260912-0001) and tokens may hold the phone's digits by chance: they are
# taken out before the digits are looked for.
GENERATED = re.compile(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:?\d\d)?|[A-Z]{2,}-\d{6}-\d{4}|[0-9a-f]{16,}")
for body in (GENERATED.sub("", str(b)) for b in (listed, one, one_xml)):
    check("Kín" not in body and "0966" not in body and "kin@example.org" not in body and "bốc mùi" not in body,
          "no personal data in what the library read")
tok = requests.get(f"{root}/tokens/{token}.json", params={"jurisdiction_id": str(commune)}, timeout=30).json()
check(tok[0]["service_request_id"] == sr_id, "the token finds the request")
check(one.get("media_url") is None, "media_url stays hidden while the commune has not published its answer")

# The commune handles it and publishes its answer: media_url and status_notes appear.
ubnd = requests.post(f"{BASE}/api/v1/auth/login", json={"username": "ubnd", "password": "thanthien-demo"}, timeout=30).json()
auth = {"Authorization": f"Bearer {ubnd['access_token']}"}
pid = requests.get(f"{BASE}/api/v1/petitions", params={"q": sr_id}, headers=auth, timeout=30).json()["items"][0]["id"]
for step in (
    {"action": "accept"},
    {"action": "assign", "handler_id": ubnd["user"]["id"]},
    {"action": "conclude", "outcome": "upheld", "conclusion": "Đã thu gom rác.", "document_ref": "CV 10/UBND"},
    {"action": "publish", "answer": "UBND xã đã thu gom rác ở đầu cầu tràn."},
):
    r = requests.post(f"{BASE}/api/v1/petitions/{pid}/actions", json=step, headers=auth, timeout=30)
    check(r.status_code == 200, f"the commune's step {step['action']} ({r.status_code})")
answered = gj.get_service_request(sr_id)
check(answered["status"] == "closed" and answered["status_notes"].startswith("UBND xã"), "closed with the published answer")
check(answered["media_url"] == MEDIA_URL, f"the library reads media_url once published ({answered.get('media_url')})")
answered_xml = gx.get_service_request(sr_id)
check(answered_xml["media_url"] == MEDIA_URL, "media_url (XML)")
bad = requests.post(f"{root}/requests.json", data={"api_key": key, "jurisdiction_id": str(commune), "service_code": "moi-truong",
                    "lat": "19.8", "long": "105.7", "description": "Ảnh sai địa chỉ", "media_url": "file:///etc/passwd"}, timeout=30)
check(bad.status_code == 400 and "media_url" in bad.json()[0]["description"], "a media_url that is not http(s): 400")

# FixMyStreet's extension: the same post as multipart/form-data with a `media` photo, as
# requests (the HTTP library FixMyStreet's Python clients use) sends a file. The photo stays
# with the petition for the staff.
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR integration photo"
with_photo = requests.post(
    f"{root}/requests.json",
    data={"api_key": key, "jurisdiction_id": str(commune), "service_code": "moi-truong",
          "address_string": "Cầu tràn thôn Nà Hin", "description": "Rác thải lại ùn ứ ở đầu cầu tràn."},
    files={"media": ("cau-tran.png", PNG, "image/png")},
    timeout=30,
)
check(with_photo.status_code == 201, f"a multipart post with a media file answers 201 ({with_photo.status_code} {with_photo.text[:200]})")
photo_id = with_photo.json()[0]["service_request_id"]
photo_pid = requests.get(f"{BASE}/api/v1/petitions", params={"q": photo_id}, headers=auth, timeout=30).json()["items"][0]["id"]
photos = requests.get(f"{BASE}/api/v1/petitions/{photo_pid}", headers=auth, timeout=30).json()["photos"]
check(len(photos) == 1 and photos[0]["file_name"] == "cau-tran.png", f"the photo kept with the petition ({photos})")
got = requests.get(f"{BASE}{photos[0]['url']}", headers=auth, timeout=30)
check(got.status_code == 200 and got.content == PNG, "the staff read the photo back byte for byte")
check(gj.get_service_request(photo_id).get("media_url") is None, "Open311 does not serve the photo")
not_a_photo = requests.post(f"{root}/requests.json", data={"api_key": key, "jurisdiction_id": str(commune), "service_code": "moi-truong",
                            "address_string": "x", "description": "Tệp không phải ảnh"}, files={"media": ("a.txt", b"text", "text/plain")}, timeout=30)
check(not_a_photo.status_code == 415 and not_a_photo.json()[0]["code"] == 415, f"a media file that is not a photo: 415 ({not_a_photo.status_code})")

print(f"integration: {checks} checks passed")

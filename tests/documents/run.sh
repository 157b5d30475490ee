#!/usr/bin/env bash
# The official report read back by a DOCX reader: starts the debug binary in demo mode (SQLite,
# a free loopback port), publishes the demo 2023 evaluation through the API, downloads the DOCX
# and the snapshot JSON, and checks with python-docx (pinned in requirements.txt, in a venv
# here) the motto, the title, Times New Roman, A4 and the margins, and that the numbers equal the
# snapshot. When LibreOffice (`soffice`) and `pdftoppm` exist, the report is rendered to PDF and
# its pages to PNG in tests/e2e/artifacts/ (skipped with a note otherwise).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/../lib.sh"
artifacts="$root/tests/e2e/artifacts"

suite_venv python

start_demo "$tmp" "sqlite://$tmp/documents.db" "documents: the server did not start"

token="$(curl -fs -X POST "$base/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"username":"bdh","password":"thanthien-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
auth=(-H "Authorization: Bearer $token")
id="$(curl -fs "${auth[@]}" "$base/api/v1/evaluations?year=2023" \
  | python3 -c 'import json,sys; print(next(e["id"] for e in json.load(sys.stdin) if e["version"] == 1))')"
curl -fs "${auth[@]}" -X POST "$base/api/v1/evaluations/$id/publish" >/dev/null
curl -fs "${auth[@]}" -o "$tmp/report.docx" "$base/api/v1/evaluations/$id/report.docx"
curl -fs "${auth[@]}" -o "$tmp/snapshot.json" "$base/api/v1/evaluations/$id/snapshot.json"
# The quarterly variant downloads too (same template, period parameter).
curl -fs "${auth[@]}" -o "$tmp/report-q2.docx" "$base/api/v1/evaluations/$id/report.docx?period=q2"

"$venv/bin/python" "$here/check_report.py" "$tmp/report.docx" "$tmp/snapshot.json"

if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; then
  mkdir -p "$artifacts"
  soffice --headless --norestore "-env:UserInstallation=file://$tmp/lo" --convert-to pdf --outdir "$tmp" "$tmp/report.docx" >/dev/null 2>&1
  cp "$tmp/report.pdf" "$artifacts/evaluation-report.pdf"
  pdftoppm -png -r 70 "$tmp/report.pdf" "$artifacts/evaluation-report-page"
  pages="$(ls "$artifacts"/evaluation-report-page-*.png | wc -l)"
  echo "documents: rendered $pages page(s): $(ls "$artifacts"/evaluation-report-page-*.png | head -1)"
else
  echo "documents: LibreOffice (soffice) or pdftoppm not installed — the PDF rendering is SKIPPED"
fi
if grep -q "panicked" "$tmp/server.log"; then echo "documents: the server panicked"; grep -A5 panicked "$tmp/server.log"; exit 1; fi
echo "documents: passed"

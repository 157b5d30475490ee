"""Reads the official report (DOCX) with python-docx and holds it to Nghị định 30/2020/NĐ-CP
and to the published snapshot: the national motto, the title, Times New Roman 13–14 pt, A4 with
the decree's margins, and every number of the criteria table equal to the snapshot's.

usage: check_report.py REPORT.docx SNAPSHOT.json
"""

import json
import sys

from docx import Document
from docx.shared import Mm, Pt


def num(x):
    """A number as the report writes it: up to two decimals, a decimal comma."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return s.replace(".", ",")


def texts(doc):
    """Every paragraph's text, the tables' cells included (the header is a table)."""
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                out.extend(p.text for p in cell.paragraphs)
    return out


def mm(length):
    return length / Mm(1)


def main(path, snapshot_path):
    doc = Document(path)
    snap = json.load(open(snapshot_path, encoding="utf-8"))
    all_text = texts(doc)
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    # The header: issuing body | national motto; number; place and date.
    check("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in all_text, "national name (Quốc hiệu)")
    check("Độc lập - Tự do - Hạnh phúc" in all_text, "motto (Tiêu ngữ)")
    check("ỦY BAN NHÂN DÂN" in all_text, "issuing body")
    check(f"XÃ {snap['commune_name'].upper()}" in all_text, "issuing commune")
    check(any(t.startswith("Số: ") and t.endswith("/BC-UBND") for t in all_text), "number and symbol …/BC-UBND")
    check(any(t.startswith(f"{snap['commune_name']}, ngày ") for t in all_text), "place and date")
    header = doc.tables[0]
    check(len(header.columns) == 2, "two-column header table")

    # The title.
    title = f"Kết quả thực hiện mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” năm {snap['year']}"
    paras = [p.text for p in doc.paragraphs]
    check("BÁO CÁO" in paras, "document type BÁO CÁO")
    check(title in paras, "title: " + title)
    check(any(t.startswith("Nơi nhận:") for t in all_text), "Nơi nhận:")
    check("TM. ỦY BAN NHÂN DÂN" in all_text, "signature block")

    # Font: Times New Roman 13–14 pt in the body.
    normal = doc.styles["Normal"]
    check(normal.font.name == "Times New Roman", f"font Times New Roman (got {normal.font.name})")
    size = normal.font.size
    check(size is not None and Pt(13) <= size <= Pt(14), f"body 13–14 pt (got {size and size.pt})")
    fonts = {r.font.name for p in doc.paragraphs for r in p.runs if r.font.name}
    check(fonts <= {"Times New Roman"}, f"no other font in runs ({fonts or 'inherit'})")

    # A4, margins: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
    s = doc.sections[0]
    check(abs(mm(s.page_width) - 210) < 0.5 and abs(mm(s.page_height) - 297) < 0.5,
          f"A4 ({mm(s.page_width):.1f} × {mm(s.page_height):.1f} mm)")
    check(20 - 0.2 <= mm(s.top_margin) <= 25 + 0.2, f"top margin {mm(s.top_margin):.1f} mm")
    check(20 - 0.2 <= mm(s.bottom_margin) <= 25 + 0.2, f"bottom margin {mm(s.bottom_margin):.1f} mm")
    check(30 - 0.2 <= mm(s.left_margin) <= 35 + 0.2, f"left margin {mm(s.left_margin):.1f} mm")
    check(15 - 0.2 <= mm(s.right_margin) <= 20 + 0.2, f"right margin {mm(s.right_margin):.1f} mm")

    # The numbers equal the snapshot: the criteria table, row by row, and the total.
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "TT")
    rows = table.rows[1:]
    crit = snap["criteria"]
    check(len(rows) == len(crit) + 1, f"criteria table has {len(crit)} criteria and a total row")
    for row, c in zip(rows, crit):
        cells = [x.text for x in row.cells]
        want_score = num(c["score"]) if c["applicable"] and c["score"] is not None else "–"
        ok = cells[1] == c["name"] and cells[2] == num(c["points"]) and cells[4] == want_score
        if c.get("figure") and c["applicable"]:
            ok = ok and cells[3] == c["figure"]["text"]
        check(ok, f"{c['code']}: {cells[2]} points, score {cells[4]} (snapshot {want_score})")
    total = [x.text for x in rows[-1].cells]
    check(total[2] == num(snap["max"]) and total[4] == num(snap["total"]),
          f"total {total[4]}/{total[2]} = snapshot {num(snap['total'])}/{num(snap['max'])}")
    rating = snap["rating"]["label"] if snap.get("rating") else None
    line = f"Tổng điểm đạt {num(snap['total'])}/{num(snap['max'])} điểm đo được"
    check(any(p.startswith(line) and (rating is None or p.endswith(f"Tự xếp loại: {rating}.")) for p in paras),
          f"closing line: {line} … {rating}")
    plan = snap["figures"]["plan"]
    check(any(f"Tiến độ chung của Kế hoạch đạt {num(plan['progress'])}%" in p for p in paras), "plan progress")
    o = snap["figures"]["onestop"]["overall"]
    check(any(p.startswith(f"Bộ phận Một cửa tiếp nhận {o['received']} hồ sơ") for p in paras), "one-stop received")

    if failures:
        print(f"documents: {len(failures)} check(s) FAILED")
        sys.exit(1)
    print("documents: the report matches Decree 30 and the snapshot")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""The briefing PDF an analyst attaches as it is: the map, then the table of incidents.

Page 1 (A4 landscape): title, date range and counts, the map of geomap.staticmap (framed on the
main theatre, with its legend, scale bar and overview inset) and the credits. Then the
incidents (date, type, the place as the article wrote it, admin-1, country, fatalities, the
source's title and date), sorted by date, in a table that continues over as many pages as it
needs with its header repeated. ReportLab's platypus lays out and paginates the table (the
library the PDF world has used for twenty years, pure Python, no system dependencies);
matplotlib draws the map, embedded as a 200 dpi image.
"""

from __future__ import annotations

from pathlib import Path

from geomap.files import atomic_target
from geomap.frame import as_flag, as_int, as_text
from geomap.style import CREDITS, place_label

__all__ = ["MAP_DPI", "incident_table_rows", "write_briefing_pdf"]

MAP_DPI = 200
TABLE_HEADER = ["Date", "Type", "Place (as written)", "Admin-1", "Country", "Fatalities", "Source"]


def incident_table_rows(incidents) -> list[list[str]]:
    """The incidents as table rows (TABLE_HEADER's columns), sorted by date, then type and place."""
    rows = []
    for record in incidents.to_dict("records"):
        written = as_text(record.get("location_text"))
        location, code = as_text(record.get("location")), as_text(record.get("country_code"))
        if as_int(record.get("geo_precision")) is None and not location:
            place = f"{written} (not on the map)" if written else "no place named"
        else:
            place = place_label(written, location, code)
        kind = as_text(record.get("event_type")) or "Unknown"
        sub = as_text(record.get("sub_event_type"))
        if sub:
            kind += f": {sub}"
        if as_flag(record.get("historical")):
            kind += " (historical)"
        date = as_text(record.get("event_date"))
        end = as_text(record.get("end_date"))
        fatalities = as_int(record.get("fatalities"))
        qualifier = as_text(record.get("fatalities_qualifier"))
        if fatalities is None:
            deaths = ""
        elif qualifier in ("", "exact"):
            deaths = str(fatalities)
        else:  # "at least 27", "about 30"; a qualifier that is the count itself ("none reported") alone
            deaths = qualifier if fatalities == 0 else f"{qualifier} {fatalities}"
        source = ", ".join(p for p in (as_text(record.get("title")) or as_text(record.get("article")),
                                       as_text(record.get("source")), as_text(record.get("published"))) if p)
        rows.append([date + (f" to {end}" if end else ""), kind, place, as_text(record.get("admin1")),
                     as_text(record.get("country")), deaths, source])
    return sorted(rows, key=lambda r: (r[0] or "9999", r[1], r[2]))


def write_briefing_pdf(incidents, path, *, basemap=None, title: str = "Incidents") -> Path:
    """Write the briefing PDF (map page, then the incident table); return its path."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, LongTable, PageBreak, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from xml.sax.saxutils import escape

    from geomap.staticmap import map_png

    path = Path(path)
    page_w, page_h = landscape(A4)
    margin = 12 * mm
    frame_w, frame_h = page_w - 2 * margin, page_h - 2 * margin
    styles = getSampleStyleSheet()
    title_style = ParagraphStyle("gm-title", parent=styles["Title"], alignment=0, fontSize=17, leading=20,
                                 spaceAfter=2)
    sub_style = ParagraphStyle("gm-sub", parent=styles["Normal"], fontSize=10, leading=12,
                               textColor=colors.HexColor("#333333"))
    cell = ParagraphStyle("gm-cell", parent=styles["Normal"], fontSize=7.5, leading=9)
    head = ParagraphStyle("gm-head", parent=cell, fontName="Helvetica-Bold", textColor=colors.white)

    map_h = frame_h - 24 * mm
    image, info = map_png(incidents, basemap, (frame_w / 72, map_h / 72), MAP_DPI, scale=0.9)
    sub = f"{info['span']} · {info['current']:,} incidents on the map"
    if info["outside"]:
        sub += f", {info['outside']:,} of them outside this frame (see the overview)"
    rows = incident_table_rows(incidents)
    sub += f" · the table of all {len(rows):,} incidents follows"
    story = [
        Paragraph(escape(title), title_style),
        Paragraph(escape(sub), sub_style),
        Spacer(1, 2 * mm),
        Image(_bytes_file(image), width=frame_w, height=map_h),
        PageBreak(),
        Paragraph(escape(f"{title}: incidents by date"), ParagraphStyle("gm-h2", parent=title_style, fontSize=13,
                                                                        leading=16)),
    ]
    widths = [0.10, 0.19, 0.16, 0.11, 0.09, 0.07, 0.28]
    data = [[Paragraph(escape(h), head) for h in TABLE_HEADER]]
    data += [[Paragraph(escape(v), cell) for v in row] for row in rows] or \
        [[Paragraph("no incidents", cell)] + [""] * (len(TABLE_HEADER) - 1)]
    table = LongTable(data, colWidths=[w * frame_w for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#3b4a5a")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f3f5")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8ccd0")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    story.append(table)

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(margin, 6 * mm, f"{CREDITS} | made with geomap")
        canvas.drawRightString(page_w - margin, 6 * mm, f"page {doc.page}")
        canvas.restoreState()

    with atomic_target(path, suffix=".pdf") as tmp:
        doc = SimpleDocTemplate(str(tmp), pagesize=(page_w, page_h), leftMargin=margin, rightMargin=margin,
                                topMargin=margin, bottomMargin=margin, title=title, author="geomap",
                                creator="geomap", invariant=1)
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def _bytes_file(data: bytes):
    import io

    return io.BytesIO(data)

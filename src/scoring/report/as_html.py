"""Rendering a :class:`~scoring.report.document.Document` as one self-contained HTML page."""

from __future__ import annotations

from html import escape

from .document import Document, Paragraph, Table

_CSS = """
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
       margin: 2em auto; max-width: 80em; padding: 0 1em; color: #1f2328; line-height: 1.5; }
h1 { font-size: 1.6em; border-bottom: 2px solid #b22222; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 1.8em; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: .2em 1em; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
p.notice { background: #fff8c5; border: 1px solid #d4a72c; padding: .5em 1em; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .92em; }
th, td { border: 1px solid #d0d7de; padding: .25em .6em; vertical-align: top; }
thead th { background: #f6f8fa; position: sticky; top: 0; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { text-align: left; background: #f6f8fa; }
footer { margin-top: 3em; color: #656d76; font-size: .85em; }
"""


def html_table(table: Table) -> str:
    """A ``<table>`` with every header and cell escaped."""
    def cls(i: int) -> str:
        return ' class="num"' if i in table.numeric else ""

    head = "".join(f"<th{cls(i)}>{escape(h)}</th>" for i, h in enumerate(table.headers))
    rows = []
    for row in table.rows:
        cells = []
        for i, cell in enumerate(row):
            tag = "th" if table.row_header and i == 0 else "td"
            cells.append(f"<{tag}{cls(i)}>{escape(cell)}</{tag}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"


def render_html(doc: Document, footer: str = "") -> str:
    """The document as a UTF-8 HTML page with inline CSS (no external resources)."""
    lang = "zh-CN" if doc.lang == "zh" else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(doc.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{escape(doc.title)}</h1>",
    ]
    if doc.facts:
        out.append('<dl class="facts">')
        out += [f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in doc.facts]
        out.append("</dl>")
    out += [f'<p class="notice">⚠ {escape(notice)}</p>' for notice in doc.notices]
    for section in doc.sections:
        level = min(max(section.level, 2), 6)
        out.append(f"<section>\n<h{level}>{escape(section.title)}</h{level}>")
        for block in section.blocks:
            out.append(html_table(block) if isinstance(block, Table) else _paragraph(block))
        out.append("</section>")
    if footer:
        out.append(f"<footer>{escape(footer)}</footer>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _paragraph(block: Paragraph) -> str:
    return f"<p>{escape(block.text)}</p>"

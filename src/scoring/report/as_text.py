"""Rendering a :class:`~scoring.report.document.Document` as plain text for a terminal (control
characters in the data are shown, not obeyed: :func:`~scoring.report.safe_cells.printable`)."""

from __future__ import annotations

from tabulate import tabulate

from .document import Document, Paragraph, Table
from .safe_cells import printable


def table_text(table: Table) -> str:
    """One table, aligned (Chinese characters count double with wcwidth installed)."""
    align = tuple("right" if i in table.numeric else "left" for i in range(len(table.headers)))
    return printable(str(tabulate(
        [list(row) for row in table.rows], headers=list(table.headers), tablefmt="simple",
        disable_numparse=True, colalign=align,
    )))


def render_text(doc: Document) -> str:
    """The document as text: title, facts, notices, then each section with its tables."""
    out = [doc.title]
    out += [f"{label}: {value}" for label, value in doc.facts]
    out += [f"⚠ {notice}" for notice in doc.notices]
    for section in doc.sections:
        out.append("")
        out.append(f"{'=' * (4 - min(section.level, 3))} {section.title}")
        for block in section.blocks:
            out.append(table_text(block) if isinstance(block, Table) else _paragraph(block))
    return printable("\n".join(out) + "\n")


def _paragraph(block: Paragraph) -> str:
    return block.text

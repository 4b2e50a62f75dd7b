"""Rendering a :class:`~scoring.report.document.Document` as GitHub-flavoured Markdown."""

from __future__ import annotations

import html

from .document import Document, Paragraph, Table


def md_escape(text: str) -> str:
    """A cell or line safe in Markdown: HTML special characters as entities, ``|`` escaped,
    line breaks as ``<br>``, and Markdown emphasis characters escaped."""
    text = html.escape(text, quote=False)
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def md_table(table: Table) -> str:
    """A pipe table; numeric columns right-aligned."""
    head = "| " + " | ".join(md_escape(h) for h in table.headers) + " |"
    rule = "|" + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.headers))) + "|"
    body = ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in table.rows]
    return "\n".join([head, rule, *body])


def render_markdown(doc: Document) -> str:
    """The document as Markdown: ``#`` title, a facts list, ``##`` sections with pipe tables."""
    out = [f"# {md_escape(doc.title)}", ""]
    if doc.facts:
        out += [f"- **{md_escape(label)}**: {md_escape(value)}" for label, value in doc.facts]
        out.append("")
    for notice in doc.notices:
        out += [f"> ⚠ {md_escape(notice)}", ""]
    for section in doc.sections:
        out += ["#" * min(section.level, 6) + " " + md_escape(section.title), ""]
        for block in section.blocks:
            out += [md_table(block) if isinstance(block, Table) else _paragraph(block), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _paragraph(block: Paragraph) -> str:
    return md_escape(block.text)

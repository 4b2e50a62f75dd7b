"""A PNG chart of score distributions (optional: needs matplotlib, which scoring does not install).

One histogram per rule set (the baseline and each variant of ``scoring compare --chart``), the
legend naming each by its title, and the pass mark and the lower boundary of every grade band as
labelled vertical lines — in Chinese when a font with Chinese glyphs is installed
(:data:`CJK_FONTS`; on Debian ``apt-get install fonts-noto-cjk`` or ``fonts-wqy-microhei``),
else in English, never as boxes of missing glyphs (:attr:`Chart.fell_back` says so, and the
command line prints a note). :func:`distribution_figure` builds the figure without writing it.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import re
import textwrap
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ConfigurationError
from ..rules.base import fmt
from ..ruleset import RuleSet
from ..text import Lang, Text

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Hiragino Sans GB",
             "Noto Sans CJK JP", "Noto Sans CJK TC", "Droid Sans Fallback", "AR PL UMing CN", "Arial Unicode MS")
"""font families with Chinese glyphs, the preferred first"""

_CJK_FILES = re.compile(r"notosanscjk|notosanssc|sourcehansans|wqy|msyh|simhei|pingfang|droidsansfallback|uming",
                        re.IGNORECASE)
"""file names of those fonts, for a font cache made before the font was installed"""

BIN_WIDTH = 5
_LINE_STYLES: tuple[Any, ...] = ("--", ":", "-.", (0, (5, 1, 1, 1)))
_WRAP = 40


@dataclass(frozen=True)
class Series:
    """The totals of the assessed members under one rule set."""

    rule_set: RuleSet
    totals: Sequence[Decimal]


@dataclass(frozen=True)
class Chart:
    """What was drawn: the figure, the language of its labels and the font used for Chinese."""

    figure: Any
    lang: Lang
    font: str | None
    fell_back: bool
    """True when Chinese was asked for but no Chinese font was found (the labels are English)"""


def matplotlib_available() -> bool:
    """True when matplotlib can be imported."""
    return importlib.util.find_spec("matplotlib") is not None


def require_matplotlib() -> None:
    """Raise a clear error when matplotlib is missing (check before doing any work)."""
    if not matplotlib_available():
        raise ConfigurationError.one(
            "绘图（--chart）需要 matplotlib，scoring 不会自动安装它", "--chart needs matplotlib, which scoring does "
            "not install", hint="pip install matplotlib",
        )


def find_cjk_font() -> str | None:
    """The first of :data:`CJK_FONTS` matplotlib's font manager knows, or None. A font installed
    after matplotlib built its font cache is found too (it is added to the manager)."""
    font_manager = importlib.import_module("matplotlib.font_manager")
    manager = font_manager.fontManager
    found = _first_known(manager)
    if found is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(Path(path).name):
                try:
                    manager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file: skip it
                    continue
        found = _first_known(manager)
    return found


def _first_known(manager: Any) -> str | None:
    names = {font.name for font in manager.ttflist}
    return next((name for name in CJK_FONTS if name in names), None)


def bins_for(series: Sequence[Sequence[Decimal]]) -> list[float]:
    """Bin edges every :data:`BIN_WIDTH` points covering every value."""
    values = [float(v) for s in series for v in s]
    if not values:
        return [0.0, float(BIN_WIDTH)]
    low = math.floor(min(values) / BIN_WIDTH) * BIN_WIDTH
    high = (math.floor(max(values) / BIN_WIDTH) + 1) * BIN_WIDTH
    return [float(x) for x in range(low, high + 1, BIN_WIDTH)]


def marks(rule_set: RuleSet, lang: Lang) -> dict[Decimal, str]:
    """The vertical lines of one rule set: position → label, e.g. ``60 → '及格线 · 称职 ≥ 60'``
    (the pass mark and the lower boundary of each grade band; one label per position)."""
    zh = lang == "zh"
    found: dict[Decimal, list[str]] = {}
    pass_mark = rule_set.spec.total.pass_mark
    if pass_mark is not None:
        found.setdefault(pass_mark, []).append("及格线" if zh else "pass mark")
    for band in rule_set.grades:
        if band.min is not None:
            sign = "≥" if band.min_inclusive else ">"
            found.setdefault(band.min, []).append(f"{_in(band.label, band.id, lang)} {sign}")
    return {value: f"{' · '.join(names)} {fmt(value)}" for value, names in sorted(found.items())}


def distribution_figure(series: Sequence[Series], *, period: str, lang: Lang, font: str | None) -> Chart:
    """The histogram figure, not written yet (a ``matplotlib.figure.Figure``, made without pyplot:
    the caller's backend and figures are left alone): Chinese labels when ``lang`` is zh and
    ``font`` (a family of :data:`CJK_FONTS`) is given, else English ones."""
    drawn: Lang = "zh" if lang == "zh" and font is not None else "en"
    zh = drawn == "zh"
    matplotlib = _matplotlib()
    with _style(font):
        figure = importlib.import_module("matplotlib.figure").Figure(figsize=(10, 6), dpi=120, layout="constrained")
        axes = figure.subplots()
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        colours = [cycle[i % len(cycle)] for i in range(len(series))]
        axes.hist([[float(v) for v in s.totals] for s in series], bins=bins_for([s.totals for s in series]),
                  label=[_legend_label(s.rule_set, drawn) for s in series], color=colours, alpha=0.85)
        _draw_marks(axes, series, colours, drawn)
        axes.set_xlabel("总分" if zh else "total")
        axes.set_ylabel("人数" if zh else "members")
        axes.set_title(_plain(f"{'总分分布' if zh else 'Distribution of totals'} — {period}"))
        figure.legend(loc="outside lower center", ncols=min(len(series), 2), fontsize="small", frameon=False)
        axes.grid(axis="y", alpha=0.3)
    return Chart(figure=figure, lang=drawn, font=font, fell_back=lang == "zh" and not zh)


def draw_distributions(series: Sequence[Series], path: Path, *, period: str, lang: Lang) -> Chart:
    """Write the histogram of each rule set's totals to ``path`` (PNG); the chart says in which
    language it was labelled (English when no Chinese font is installed)."""
    require_matplotlib()
    chart = distribution_figure(series, period=period, lang=lang, font=find_cjk_font())
    try:
        with _style(chart.font):  # fonts are looked up when the figure is drawn
            chart.figure.savefig(path, format="png")
    except OSError as exc:
        raise ConfigurationError.one(
            "无法写入图表文件", "cannot write the chart file", file=str(path), found=str(exc)
        ) from None
    return chart


def _draw_marks(axes: Any, series: Sequence[Series], colours: Sequence[str], lang: Lang) -> None:
    """Each rule set's marks in its colour; a mark every rule set shares, once in grey."""
    per_set = [marks(s.rule_set, lang) for s in series]
    shared = {k: v for k, v in per_set[0].items() if all(m.get(k) == v for m in per_set[1:])} if per_set else {}
    lines: list[tuple[Decimal, str, str, Any]] = [(value, text, "0.35", "-") for value, text in shared.items()]
    for i, (own, colour) in enumerate(zip(per_set, colours, strict=True)):
        lines += [(value, text, colour, _LINE_STYLES[i % len(_LINE_STYLES)])
                  for value, text in own.items() if value not in shared or shared[value] != text]
    for value, text, colour, style in lines:
        axes.axvline(float(value), color=colour, linestyle=style, linewidth=1.2)
        axes.text(float(value), 0.98, _plain(text), transform=axes.get_xaxis_transform(), rotation=90,
                  va="top", ha="right", fontsize="small", color=colour)


def _legend_label(rule_set: RuleSet, lang: Lang) -> str:
    title = _in(rule_set.title, rule_set.id, lang)
    return _plain(textwrap.fill(title, width=_WRAP if lang == "en" else _WRAP // 2))


def _in(text: Text, fallback: str, lang: Lang) -> str:
    """``text`` in ``lang``; in English without a translation, ``fallback`` (an ASCII id) rather
    than Chinese a font may not have."""
    if lang == "en":
        return text.en or fallback
    return text.zh


def _plain(text: str) -> str:
    """``text`` shown as written: ``$`` would start matplotlib's math notation."""
    return text.replace("$", r"\$")


def _matplotlib() -> Any:
    return importlib.import_module("matplotlib")  # optional: imported by name, no stubs needed


@contextmanager
def _style(font: str | None) -> Iterator[None]:
    """Fonts for this chart only (the caller's matplotlib settings are left alone)."""
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    settings = {"font.family": "sans-serif", "font.sans-serif": families, "axes.unicode_minus": False}
    with _matplotlib().rc_context(settings), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from")  # a rare symbol: cosmetic
        yield

"""A PNG chart of score distributions (optional: needs matplotlib, which scoring does not install)."""

from __future__ import annotations

import importlib
import importlib.util
import math
import warnings
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from ..errors import ConfigurationError
from ..text import Lang

CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "PingFang SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Arial Unicode MS", "DejaVu Sans"]
BIN_WIDTH = 5


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


def _has_cjk_font() -> bool:
    """True when matplotlib knows a font with Chinese glyphs (else labels fall back to English)."""
    font_manager = importlib.import_module("matplotlib.font_manager")
    names = {font.name for font in font_manager.fontManager.ttflist}
    return any(name in names for name in CJK_FONTS[:-1])


def bins_for(series: Sequence[Sequence[Decimal]]) -> list[float]:
    """Bin edges every :data:`BIN_WIDTH` points covering every value."""
    values = [float(v) for s in series for v in s]
    if not values:
        return [0.0, float(BIN_WIDTH)]
    low = math.floor(min(values) / BIN_WIDTH) * BIN_WIDTH
    high = (math.floor(max(values) / BIN_WIDTH) + 1) * BIN_WIDTH
    return [float(x) for x in range(low, high + 1, BIN_WIDTH)]


def draw_distributions(
    series: Sequence[tuple[str, Sequence[Decimal]]], path: Path, *, title: str, lang: Lang
) -> None:
    """Write a histogram of each labelled series of totals to ``path`` (PNG)."""
    require_matplotlib()
    matplotlib = importlib.import_module("matplotlib")  # optional: imported by name, no stubs needed
    matplotlib.use("Agg")
    plt = importlib.import_module("matplotlib.pyplot")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a missing CJK glyph is a cosmetic problem, not an error
        plt.rcParams["font.sans-serif"] = CJK_FONTS
        plt.rcParams["axes.unicode_minus"] = False
        figure, axes = plt.subplots(figsize=(9, 5), dpi=120)
        try:
            axes.hist([[float(v) for v in values] for _, values in series], bins=bins_for([v for _, v in series]),
                      label=[name for name, _ in series], alpha=0.85)
            chinese = lang == "zh" and _has_cjk_font()
            axes.set_xlabel("总分" if chinese else "total")
            axes.set_ylabel("人数" if chinese else "members")
            axes.set_title(title)
            axes.legend()
            axes.grid(axis="y", alpha=0.3)
            figure.tight_layout()
            try:
                figure.savefig(path, format="png")
            except OSError as exc:
                raise ConfigurationError.one(
                    "无法写入图表文件", "cannot write the chart file", file=str(path), found=str(exc)
                ) from None
        finally:
            plt.close(figure)

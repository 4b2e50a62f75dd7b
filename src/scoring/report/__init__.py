"""Reports of scoring results, for the command line and for portals.

- :mod:`.compare` — comparing rule sets on the same inputs (:func:`compare`, :class:`Comparison`);
- :mod:`.summary` — count, mean, min and max of totals per grade and per sector;
- :mod:`.score_report`, :mod:`.compare_report` — reports as format-neutral documents, rendered by
  :mod:`.as_text`, :mod:`.as_markdown` and :mod:`.as_html`;
- :mod:`.workbook` (XLSX), :mod:`.flat` (CSV), :mod:`.explain` (one member), :mod:`.chart` (PNG);
- :mod:`.schemas` — JSON Schemas of inputs, outputs and rule files.
"""

from .compare import Comparison, compare, compare_results
from .summary import Distribution, Stats, distribution

__all__ = ["Comparison", "Distribution", "Stats", "compare", "compare_results", "distribution"]

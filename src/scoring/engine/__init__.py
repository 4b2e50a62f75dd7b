"""The scoring engine: screening, facts, points, grades, gates, escalation, ranking."""

from .core import score
from .history import History, HistoryEntry, entries_of, load_history

__all__ = ["History", "HistoryEntry", "entries_of", "load_history", "score"]

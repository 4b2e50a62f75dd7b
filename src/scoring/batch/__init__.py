"""The vectorised batch path: all members at once, exactly the reference path's results."""

from .columns import RecordColumns
from .engine import Workspace, encode_records, prepare, score_batch
from .result import BatchResult, MemberSummary

__all__ = [
    "BatchResult",
    "MemberSummary",
    "RecordColumns",
    "Workspace",
    "encode_records",
    "prepare",
    "score_batch",
]

"""The vectorised batch path: all members at once, exactly the reference path's results."""

from .columns import RecordColumns
from .engine import Workspace, encode_records, prepare, score_batch
from .members import MemberColumns, encode_members
from .result import BatchResult, MemberSummary

__all__ = [
    "BatchResult",
    "MemberColumns",
    "MemberSummary",
    "RecordColumns",
    "Workspace",
    "encode_members",
    "encode_records",
    "prepare",
    "score_batch",
]

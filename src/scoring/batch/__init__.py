"""The vectorised batch path: all members at once, exactly the reference path's results."""

from .columns import RecordColumns
from .engine import encode_records, score_batch
from .result import BatchResult, MemberSummary

__all__ = ["BatchResult", "MemberSummary", "RecordColumns", "encode_records", "score_batch"]

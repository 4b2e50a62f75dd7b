"""Reading text files whose encoding is not declared.

Without ``encoding=`` the bytes are decoded as UTF-8 (a BOM is dropped) and, if that fails, as
GB18030 (a superset of GBK and GB2312, the encodings of Chinese Excel/WPS exports). A UTF-16
BOM (Excel's "Unicode text") is honoured too. Both decodings are strict: undecodable bytes are
an error, never silently replaced.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import ConfigurationError
from .problems import ProblemLog

AUTO_ENCODINGS = ("utf-8-sig", "gb18030")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_bytes(path: Path, log: ProblemLog) -> bytes:
    """The content of ``path``; an :class:`InputError` when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        log.fail("无法读取文件", "cannot read the file", found=exc.strerror or str(exc))


def decode(data: bytes, log: ProblemLog, encoding: str | None = None) -> str:
    """``data`` as text, in ``encoding`` or detected (see the module docstring)."""
    if encoding is not None:
        return _decode_as(data, encoding, log)
    if data.startswith(_UTF16_BOMS):
        return _decode_as(data, "utf-16", log)
    for candidate in AUTO_ENCODINGS:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if candidate != AUTO_ENCODINGS[0]:
            _refuse_mixed(data, log)
        return text
    log.fail(
        "无法识别文件编码", "cannot decode the file",
        expected="UTF-8, UTF-8 with BOM, GBK/GB18030 / UTF-8、带 BOM 的 UTF-8 或 GBK/GB18030",
        hint="pass encoding='...' to name the encoding / 可用 encoding='...' 指定编码",
    )


def _refuse_mixed(data: bytes, log: ProblemLog) -> None:
    """A GBK file with rows pasted in as UTF-8 decodes without error as GB18030 but garbles those
    rows; a line that is valid UTF-8 with non-ASCII text betrays it (GBK Chinese almost never is)."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        log.fail(
            "文件混用了 GBK 与 UTF-8 编码", "the file mixes GBK and UTF-8 text", row=number,
            expected="one encoding for the whole file / 整个文件使用同一种编码",
            hint="re-save the file in one encoding, or pass encoding='...' / 请统一编码后另存",
        )


def _decode_as(data: bytes, encoding: str, log: ProblemLog) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigurationError.one(
            f"未知的编码 '{encoding}'", f"unknown encoding '{encoding}'", key="encoding",
            expected="a Python codec name such as utf-8, gbk, gb18030", found=encoding,
        ) from None
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        log.fail(
            f"文件不是有效的 {encoding} 编码", f"the file is not valid {encoding}",
            expected=encoding, found=f"byte 0x{data[exc.start:exc.start + 1].hex()} at offset {exc.start}",
            hint="check the encoding= argument / 请检查 encoding 参数",
        )

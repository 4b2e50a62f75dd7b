"""Coverage-guided fuzzing with atheris (libFuzzer for Python) — optional, not collected by pytest.

    pip install atheris
    python tests/fuzz_atheris.py records /tmp/corpus-records -max_total_time=300
    python tests/fuzz_atheris.py rules   /tmp/corpus-rules   -max_total_time=300

The first argument picks the target; the corpus folder is created and seeded (sample inputs of
tests/data/io, the shipped rule files) when it does not exist yet; the remaining arguments go to
libFuzzer (``-max_total_time``, ``-runs``, ``-jobs`` …). Never point it at a folder of the
repository: libFuzzer writes new inputs into the corpus folder.

- ``records``: the input is a file for ``read_records``, ``read_members`` and ``read_table``; its
  first byte picks the extension (.csv, .json, .jsonl, .xlsx).
- ``rules``: the input is UTF-8 (lossy) text for ``scoring.parse_rule_set``, compiled with the
  installed plugins' rule types and vocabulary, ``extends`` resolved by the plugin registry.

An input passes when it loads or raises a ``scoring.ScoringError``. Crashes already reported as
bugs are listed in ``tests/test_fuzz.py`` (``KNOWN``) and skipped, unless ``SCORING_FUZZ_STRICT=1``;
anything else is a crash: libFuzzer stops and writes the input to ``crash-<sha1>``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

with atheris.instrument_imports(include=["scoring"]):
    from scoring import ScoringError
    from scoring.io import read_members, read_records, read_table
    from scoring.plugins import Registry
    from scoring.ruleset import compile_raw, parse_toml

from test_fuzz import KNOWN, STRICT, _raiser  # noqa: E402  (after instrumenting scoring)

EXTENSIONS = (".csv", ".json", ".jsonl", ".xlsx")
SCRATCH = Path(tempfile.mkdtemp(prefix="scoring-atheris-"))
REGISTRY = Registry.build()


def _guard(call: object) -> None:
    try:
        call()  # type: ignore[operator]
    except ScoringError:
        pass
    except Exception as exc:
        if STRICT or (type(exc), _raiser(exc)) not in KNOWN:
            raise


def records_target(data: bytes) -> None:
    if not data:
        return
    path = SCRATCH / f"input{EXTENSIONS[data[0] % len(EXTENSIONS)]}"
    path.write_bytes(data[1:])
    for reader in (read_records, read_members, read_table):
        _guard(lambda reader=reader: reader(path))


def rules_target(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")

    def compile_text() -> None:
        raw = parse_toml(text, "<atheris>", REPO / "plugins" / "fuzz.toml")
        compile_raw(raw, rule_types=[rt for rt, _ in REGISTRY.rule_types.values()],
                    vocabulary=REGISTRY.vocabulary, resolve=REGISTRY.raw)

    _guard(compile_text)


def _seed(target: str, corpus: Path) -> None:
    corpus.mkdir(parents=True)
    if target == "records":
        for i, sample in enumerate(sorted((HERE / "data" / "io").glob("*.*"))):
            if sample.suffix in EXTENSIONS:
                marker = bytes([EXTENSIONS.index(sample.suffix)])
                (corpus / f"seed-{i}").write_bytes(marker + sample.read_bytes())
    else:
        for sample in sorted(REPO.glob("plugins/*/src/*/rule_sets/*.toml")):
            shutil.copy(sample, corpus / sample.name)


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in ("records", "rules"):
        sys.exit(__doc__)
    target, corpus = sys.argv[1], Path(sys.argv[2])
    if REPO in corpus.resolve().parents:
        sys.exit("give a corpus folder outside the repository")
    if not corpus.exists():
        _seed(target, corpus)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    atheris.Setup([sys.argv[0], str(corpus), *sys.argv[3:]],
                  records_target if target == "records" else rules_target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""``corresptei build``: encode -> validate -> render everything, incrementally.

Steps, each visible and replaceable:

1. **encode** source texts (``*.txt``) into ``OUT/tei/`` with
   ``corresptei.encode.encode_paths`` (TEI inputs are taken as they are);
2. **validate** every TEI file with ``corresptei.validate`` when that package
   offers ``iter_errors`` (findings stop the build);
3. **render** every format into ``OUT/<format>/``.

The manifest ``OUT/.corresptei-build.json`` records, per render target, the
digest of what it depends on (input files, stylesheets, assets) and the files it
wrote.  A target whose digest is unchanged and whose files exist is not redone;
a changed stylesheet changes the digest of exactly the targets that use it.
Outputs of targets that no longer exist (a letter removed) are deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from ..errors import TransformError, ValidationError
from ..fsutil import atomic_write_text
from .api import FORMATS, RenderOptions, RenderResult, Renderer, Target
from .corpus import Corpus

MANIFEST = ".corresptei-build.json"
MANIFEST_VERSION = 1


@dataclass
class BuildResult(RenderResult):
    """What a build did, step by step."""

    encoded: list[Path] = field(default_factory=list)
    encode_report: object | None = None  # corresptei.encode.EncodeReport when sources were encoded
    validated: bool = False
    validation_note: str = ""
    tei: list[Path] = field(default_factory=list)


def _split_inputs(inputs: Iterable[Path | str]) -> tuple[list[Path], list[Path]]:
    """Source texts to encode, and TEI files/folders to take as they are."""
    sources: list[Path] = []
    tei: list[Path] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            xml = sorted(path.glob("*.xml"))
            txt = sorted(path.glob("*.txt"))
            if xml:
                tei.append(path)
            elif txt:
                sources.extend(txt)
            else:
                raise TransformError(f"{path}: folder has neither TEI (*.xml) nor source texts (*.txt)")
        elif path.suffix.lower() == ".txt":
            sources.append(path)
        elif path.exists():
            tei.append(path)
        else:
            raise FileNotFoundError(2, "no such input", str(path))
    return sources, tei


def encode_step(sources: Sequence[Path], tei_dir: Path):
    """Encode source texts into ``tei_dir``; returns the encode report."""
    from ..encode import encode_paths

    return encode_paths(list(sources), tei_dir)


def validate_step(paths: Sequence[Path], schema: Sequence[Path] | None = None) -> tuple[bool, str]:
    """Validate TEI files with ``corresptei.validate.iter_errors`` when it exists.

    Uses the project's compiled schema (or ``schema``).  Returns (validated,
    note); when validation cannot run (no validator installed, no compiled
    schema yet) the note says why.  Raises :class:`ValidationError` when
    there are errors (warnings do not stop a build).
    """
    try:
        from ..validate import iter_errors  # type: ignore[attr-defined]
    except ImportError:
        return False, "validation skipped: corresptei.validate offers no iter_errors"
    try:
        findings = list(iter_errors([str(p) for p in paths], schema=list(schema) if schema else None))
    except FileNotFoundError as exc:  # the compiled project schema is not there yet
        return False, f"validation skipped: {exc}"
    errors = [f for f in findings if getattr(f, "is_error", True)]
    if errors:
        raise ValidationError(errors)
    warnings = len(findings) - len(errors)
    return True, f"validated {len(paths)} TEI files ({warnings} warnings)"


def _load_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    if data.get("version") != MANIFEST_VERSION:
        return {}
    return data.get("targets", {})


def build(inputs: Iterable[Path | str], out_dir: Path | str, *,
          formats: Sequence[str] = FORMATS,
          options: RenderOptions | None = None,
          force: bool = False,
          tei_dir: Path | str | None = None,
          progress_start: Callable[[int], None] | None = None,
          progress: Callable[[Target], None] | None = None,
          jobs: int | None = None) -> BuildResult:
    """Encode, validate and render ``inputs`` into ``out_dir/{html,text,pdf,cmif}``.

    ``jobs``: worker processes for the letters (default: every core).

    Example::

        build(["seeds/"], "out", tei_dir="tei")  # source texts: encode into tei/ first
        build(["tei/"], "out")                    # already-encoded TEI
    """
    out = Path(out_dir)
    result = BuildResult()
    sources, tei_inputs = _split_inputs(inputs)
    if sources:
        target = Path(tei_dir) if tei_dir is not None else out / "tei"
        result.encode_report = encode_step(sources, target)
        result.encoded = [target / name for name in sorted(result.encode_report.files)]
        tei_inputs = [*tei_inputs, target]
    corpus = Corpus.from_paths(tei_inputs)
    if not corpus.letters:
        raise TransformError("no TEI letters to build; pass source texts or TEI files")
    result.tei = [lt.path for lt in corpus.letters]
    result.validated, result.validation_note = validate_step(
        [*([corpus.persons] if corpus.persons else []), *result.tei])

    renderer = Renderer(corpus, options)
    targets: list[Target] = []
    for fmt in formats:
        targets.extend(renderer.targets(fmt, out / fmt))

    manifest_path = out / MANIFEST
    old = {} if force else _load_manifest(manifest_path)
    new: dict[str, dict] = {}
    todo: list[tuple[Target, str]] = []
    for target in targets:
        digest = target.digest()
        entry = old.get(target.key)
        fresh = (entry is not None and entry.get("digest") == digest
                 and all(p.exists() for p in target.outputs))
        if fresh:
            result.skipped.extend(target.outputs)
            new[target.key] = entry
        else:
            todo.append((target, digest))

    # outputs of targets that are gone (a letter removed, a format dropped)
    kept = {str(p) for t in targets for p in t.outputs}
    for key, entry in old.items():
        if key in new or any(key == t.key for t, _ in todo):
            continue
        if key.split(":", 1)[0] not in formats:
            new[key] = entry  # another format's target: not ours to judge this run
            continue
        for rel in entry.get("outputs", []):
            stale = out / rel
            if str(stale) not in kept and stale.exists():
                stale.unlink()
                result.removed.append(stale)

    if progress_start is not None:
        progress_start(len(todo))
    digests = {id(target): digest for target, digest in todo}

    def done(target: Target) -> None:
        new[target.key] = {"digest": digests[id(target)],
                           "outputs": [str(p.relative_to(out)) for p in target.outputs]}

    try:
        made = renderer.run([target for target, _ in todo], progress, jobs=jobs, done=done)
        result.written.extend(made.written)
    finally:
        atomic_write_text(manifest_path, json.dumps(
            {"version": MANIFEST_VERSION, "targets": dict(sorted(new.items()))},
            indent=1, ensure_ascii=False) + "\n")
    return result

"""Running the engines over many files: schema loading, caching, parallel workers.

Order of work in one run:

1. find the files (directories are searched for ``*.xml``; ``--changed REV``
   keeps those git says changed);
2. look every file up in the result cache; if all are there, stop (no schema
   is compiled at all);
3. compile the schemas once in this process (RELAX NG with libxml2, the XSD,
   Schematron to XSLT text), then fork ``jobs`` workers: each compiles the
   Schematron stylesheet with its own saxonche processor and validates a share
   of the files, returning findings and the file's corpus record;
4. run the corpus checks on the records of all files.

xml-model processing instructions in documents are not used to pick a schema:
every file of a corpus is validated against the same project schema (the
converter writes PIs that point at exactly that schema, for editors).
"""

from __future__ import annotations

import gc
import json
import marshal
import multiprocessing
import multiprocessing.connection
import os
import pickle
import subprocess
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import __version__
from ..fsutil import read_file
from ..errors import CorrespteiError, ValidationError
from . import corpus as corpus_mod
from .cache import Cache, digest, finding_from_dict
from .findings import Finding, Severity
from .locations import with_columns
from .security import DEFAULT_LIMITS, Limits, parse_document

#: What a file's cached findings and record hold; a new value retires results cached
#: before (2: findings at an element carry the column where its start tag ends).
RESULTS_VERSION = "2"

#: The project's compiled schema, relative to the project root.
PROJECT_RNG = Path("schema/corresptei.rng")
PROJECT_SCH = Path("schema/corresptei.sch")
PROJECT_XSD = Path("schema/corresptei.xsd")
DEFAULT_PATHS = ("tei",)
SCHEMA_SUFFIXES = {".rng": "rng", ".sch": "sch", ".isosch": "sch", ".xsd": "xsd", ".odd": "odd"}
#: Below this many files per worker forking costs more than it saves.
MIN_FILES_PER_WORKER = 4
#: Files a worker takes at a time (one Schematron transformation for all of them), and
#: the fewest it takes at the end of a run.
CHUNK_FILES = 64
MIN_CHUNK_FILES = 8
#: Files the lean RELAX NG grammar is learnt from before workers are forked (runs of at
#: least four times as many files per worker: smaller ones never pay for a lean grammar).
LEAN_SAMPLE = 32


class SchemaNotFound(CorrespteiError, FileNotFoundError):
    """The project's compiled schema (or a --schema file) is missing."""


@dataclass
class SchemaSet:
    """The schema files of a run, by kind."""

    rng: list[Path] = field(default_factory=list)
    sch: list[Path] = field(default_factory=list)
    xsd: list[Path] = field(default_factory=list)

    def files(self) -> list[Path]:
        return [*self.rng, *self.sch, *self.xsd]

    def digest(self, limits: Limits) -> str:
        from .schematron import COMPILER_VERSION

        parts: list[bytes | str] = [__version__, COMPILER_VERSION, RESULTS_VERSION, repr(limits)]
        for kind, paths in (("rng", self.rng), ("sch", self.sch), ("xsd", self.xsd)):
            for p in paths:
                parts += [kind, p.read_bytes()]
        return digest(*parts)


def resolve_schemas(schema: Sequence[str | os.PathLike] | None = None, xsd: bool = False,
                    root: str | os.PathLike = ".") -> SchemaSet:
    """Which schema files to use: ``schema`` if given, else the project's compiled schema."""
    root = Path(root)
    out = SchemaSet()
    if schema:
        for item in schema:
            path = Path(item)
            kind = SCHEMA_SUFFIXES.get(path.suffix.lower())
            if kind is None:
                raise CorrespteiError(f"{path}: unknown schema kind (use .rng, .sch, .isosch, .xsd or .odd)")
            if not path.is_file():
                raise SchemaNotFound(f"{path}: schema file not found")
            if kind == "odd":
                compiled = compile_odd_schemas(path)
                out.rng += compiled.rng
                out.sch += compiled.sch
                out.xsd += compiled.xsd
            else:
                getattr(out, kind).append(path)
    else:
        rng, sch = root / PROJECT_RNG, root / PROJECT_SCH
        if not rng.is_file():
            raise SchemaNotFound(
                f"{rng}: the project's compiled schema is missing. It is built from schema/corresptei.odd "
                "by the ODD compiler; until it exists, pass --schema FILE (.rng, .sch, .xsd or .odd)")
        out.rng.append(rng)
        if sch.is_file():
            out.sch.append(sch)
    if xsd:
        path = root / PROJECT_XSD
        if not path.is_file():
            raise SchemaNotFound(f"{path}: --xsd needs the project's compiled XSD, which is missing")
        if path not in out.xsd:
            out.xsd.append(path)
    return out


def compile_odd_schemas(odd: Path) -> SchemaSet:
    """Compile an ODD on the fly with ``corresptei.odd.compile_odd`` (when that module exists)."""
    try:
        from ..odd import compile_odd  # type: ignore[attr-defined]
    except ImportError as exc:
        raise CorrespteiError(
            f"{odd}: validating against an .odd needs the ODD compiler (corresptei.odd.compile_odd), "
            "which this installation lacks; pass the compiled .rng/.sch instead") from exc
    import tempfile

    out_dir = Path(tempfile.mkdtemp(prefix="corresptei-odd-"))
    try:
        result = compile_odd(odd, out_dir)
    except TypeError:
        result = compile_odd(odd)
    found = SchemaSet()
    candidates: list[Any] = []
    if isinstance(result, dict):
        candidates = list(result.values())
    elif isinstance(result, (list, tuple)):
        candidates = list(result)
    elif result is not None:
        candidates = [getattr(result, a, None) for a in ("rng", "sch", "schematron", "xsd")]
    candidates += list(out_dir.glob("*"))
    for c in candidates:
        if isinstance(c, (str, os.PathLike)) and Path(c).is_file():
            kind = SCHEMA_SUFFIXES.get(Path(c).suffix.lower())
            if kind in ("rng", "sch", "xsd") and Path(c) not in getattr(found, kind):
                getattr(found, kind).append(Path(c))
    if not found.rng and not found.sch:
        raise CorrespteiError(f"{odd}: the ODD compiler produced no .rng or .sch")
    return found


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

def collect_files(paths: Sequence[str | os.PathLike] | None) -> list[str]:
    """Files to validate: given files as they are, directories searched for ``*.xml`` (sorted)."""
    paths = list(paths) if paths else list(DEFAULT_PATHS)
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(_xml_files(str(path)))
        elif path.is_file():
            out.append(str(path))
        else:
            raise FileNotFoundError(2, "no such file or directory", str(path))
    return list(dict.fromkeys(out))


def _xml_files(top: str) -> list[str]:
    """``*.xml`` files under ``top``, in the order of sorted ``Path.rglob`` (by path components:
    a folder's files and subfolders by name, each subfolder's files where its name falls).

    ``os.scandir`` tells files from folders without a stat per file (which costs
    on network and virtual file systems); links are followed as ``rglob`` does
    for files, not for folders.
    """
    found: list[str] = []

    def walk(folder: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=_entry_name)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            elif entry.name.endswith(".xml") and entry.is_file():
                found.append(entry.path)

    walk(top)
    return found


def _entry_name(entry: os.DirEntry) -> str:
    return entry.name


def changed_files(rev: str, files: Sequence[str]) -> list[str]:
    """The subset of ``files`` changed since git revision ``rev`` (committed, staged, unstaged or untracked)."""
    def git(*args: str) -> list[str]:
        try:
            res = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
        except FileNotFoundError as exc:
            raise CorrespteiError("--changed needs git, which is not installed") from exc
        except subprocess.CalledProcessError as exc:
            raise CorrespteiError(f"--changed {rev}: git says: {exc.stderr.strip() or exc}") from exc
        return [line for line in res.stdout.splitlines() if line]

    top = Path(git("rev-parse", "--show-toplevel")[0])
    names = git("diff", "--name-only", "--diff-filter=ACMRT", rev, "--") + git("ls-files", "--others", "--exclude-standard")
    changed = {os.path.normcase(os.path.abspath(top / n)) for n in names}
    return [f for f in files if os.path.normcase(os.path.abspath(f)) in changed]


# ---------------------------------------------------------------------------
# Workers
# ---------------------------------------------------------------------------

@dataclass
class _State:
    validators: list[Any]
    limits: Limits
    want_records: bool


_STATE: _State | None = None


def _check_files(paths: Sequence[str]) -> list[tuple[str, list[Finding], corpus_mod.Record | None]]:
    """Validate some files with the process's validators: ``(path, findings, record)`` each.

    Each file is parsed once (hardened) for RELAX NG, XSD and the corpus record;
    Schematron validators that can take many files run one transformation for all.
    """
    assert _STATE is not None
    parsed: list[tuple[etree._ElementTree, str]] = []
    refusals: dict[str, list[Finding]] = {}
    for path in paths:
        tree, refused = parse_document(path, _STATE.limits)
        if tree is None:
            refusals[path] = refused
        else:
            parsed.append((tree, path))
    per_validator: list[list[list[Finding]]] = []
    for v in _STATE.validators:
        if hasattr(v, "validate_files"):
            per_validator.append(v.validate_files(parsed, read_from_files=True))
        else:
            per_validator.append([v.validate(tree, path) for tree, path in parsed])
    found: dict[str, tuple[list[Finding], corpus_mod.Record | None]] = {}
    for i, (tree, path) in enumerate(parsed):
        findings = [f for results in per_validator for f in results[i]]
        if findings:
            findings = with_columns(tree, path, findings)
        record = corpus_mod.extract(tree, path) if _STATE.want_records else None
        found[path] = (findings, record)
    return [(path, *found[path]) if path in found else (path, refusals[path], None) for path in paths]


def _chunks(todo: list[str], jobs: int) -> list[list[str]]:
    """``todo`` cut into chunks of :data:`CHUNK_FILES` files, smaller towards the end (a
    quarter of what is left per worker, down to :data:`MIN_CHUNK_FILES`), so that the
    workers finish together."""
    chunks, i = [], 0
    while i < len(todo):
        size = max(MIN_CHUNK_FILES, min(CHUNK_FILES, (len(todo) - i) // (jobs * 4)))
        chunks.append(todo[i:i + size])
        i += size
    return chunks


def _record_only(path: str, limits: Limits) -> corpus_mod.Record | None:
    tree, _ = parse_document(path, limits)
    return corpus_mod.extract(tree, path) if tree is not None else None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def load_validators(schemas: SchemaSet, cache: Cache | None = None,
                    pending: dict[Path, _Background] | None = None, sample: Sequence[str] = (),
                    limits: Limits = DEFAULT_LIMITS) -> list[Any]:
    """Compile every schema of the set (Schematron XSLT text from the cache when it is there,
    or from a child process compiling it since :func:`start_compiling`).

    ``sample``: a few of the run's files, from which the RELAX NG validators build their
    lean grammar at once (:meth:`.RelaxNGValidator.prepare_lean`), while a Schematron
    compiles beside: forked workers inherit it rather than each learning its own.
    """
    from .relaxng import RelaxNGValidator
    from .xsd import XsdValidator

    validators: list[Any] = [_memo("rng", p, RelaxNGValidator) for p in schemas.rng]
    if sample and validators:
        trees = [tree for tree in (parse_document(f, limits)[0] for f in sample) if tree is not None]
        for v in validators:
            v.prepare_lean(trees)
    for p in schemas.sch:
        validators.append(_memo("sch", p, lambda path: _schematron(path, cache, (pending or {}).get(path))))
    validators += [_memo("xsd", p, XsdValidator) for p in schemas.xsd]
    return validators


def start_compiling(schemas: SchemaSet, cache: Cache | None = None) -> dict[Path, _Background]:
    """Start compiling each Schematron schema not compiled yet in a forked child process.

    Compiling Schematron (parsing its XPath with elementpath, which takes 0.08 s to
    import) is the longest step before validation; a child does it while this process
    lists the files, reads the cache and compiles the RELAX NG.  Nothing is started
    where fork is not available: :func:`load_validators` then compiles in process.
    """
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork (Windows)
        return {}
    started: dict[Path, _Background] = {}
    for p in schemas.sch:
        if _memo_key("sch", p) in _COMPILED or (cache and cache.get(_schematron_key(p))):
            continue
        try:
            started[p] = _Background(ctx, _compiled_payload, p)
        except (AssertionError, OSError):  # a daemonic process may not fork; out of processes
            break  # compiled in process instead
    return started


class _Background:
    """``func(arg)`` run in a forked child; :meth:`result` is its JSON-ready value, or None
    when the child failed (the caller then does the work itself, and meets the error)."""

    def __init__(self, ctx: Any, func: Callable[[Any], Any], arg: Any) -> None:
        self._reader, writer = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=self._child, args=(func, arg, writer), daemon=True)
        self._proc.start()
        writer.close()

    @staticmethod
    def _child(func: Callable[[Any], Any], arg: Any, conn: Any) -> None:
        try:
            data = json.dumps(func(arg)).encode()
        except BaseException:  # noqa: BLE001 - the parent does the work again and reports the error
            data = b""
        conn.send_bytes(data)
        conn.close()

    def result(self) -> Any | None:
        try:
            data = self._reader.recv_bytes()
        except (EOFError, OSError):
            data = b""
        self.cancel()
        return json.loads(data) if data else None

    def cancel(self) -> None:
        self._reader.close()
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()


def _schematron_key(p: Path) -> str:
    from .schematron import COMPILER_VERSION

    return "sch:" + digest(COMPILER_VERSION, p.read_bytes(), str(p.resolve()))


def _compiled_payload(p: Path) -> dict:
    """A compiled Schematron as the cache stores it: generated XSLT, checks, screen."""
    from .schematron import compile_schematron

    return _payload(compile_schematron(p))


def _payload(v: Any) -> dict:
    return {"xslt": v.xslt, "checks": [{**asdict(c), "severity": c.severity.value} for c in v.checks],
            "screen": v.screen.to_json() if v.screen else None}


def _schematron(p: Path, cache: Cache | None, pending: _Background | None = None) -> Any:
    """Schematron -> XSLT, the generated text read from the cache (or a background compile)
    when it is there."""
    from .schematron import Check, SchematronValidator, compile_schematron
    from .screen import Screen

    key = _schematron_key(p)
    payload = cache.get(key) if cache else None
    if payload is None and pending is not None:
        payload = pending.result()
        if payload is not None and cache:
            cache.put_many([(key, payload)])
    if payload is None:  # compiled here (no fork, or the child failed: the error is raised here)
        v = compile_schematron(p)
        if cache:
            cache.put_many([(key, _payload(v))])
        return v
    checks = [Check(**{**c, "severity": Severity(c["severity"])}) for c in payload["checks"]]
    screen = Screen.from_json(payload["screen"]) if payload.get("screen") else None
    return SchematronValidator(payload["xslt"], checks, source=str(p), screen=screen)


#: Compiled RELAX NG / XSD objects of this process, by content: a library user (or a
#: test session) that validates many times compiles each schema once.
_COMPILED: dict[tuple[str, str, str], Any] = {}


def _memo_key(kind: str, path: Path) -> tuple[str, str, str]:
    return (kind, str(path.resolve()), digest(path.read_bytes()))


def _memo(kind: str, path: Path, factory: Callable[[Path], Any]) -> Any:
    key = _memo_key(kind, path)
    if key not in _COMPILED:
        _COMPILED[key] = factory(path)
    return _COMPILED[key]


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------

def iter_errors(
    paths: Sequence[str | os.PathLike] | None = None,
    schema: Sequence[str | os.PathLike] | str | os.PathLike | None = None,
    *,
    xsd: bool = False,
    corpus: bool = True,
    jobs: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    changed: str | None = None,
    cache: bool | Cache = True,
    root: str | os.PathLike = ".",
    progress: Callable[[int], None] | None = None,
    files_out: list[str] | None = None,
    timings: dict[str, float] | None = None,
) -> Iterator[Finding]:
    """Yield every finding (errors, warnings and info: see ``Finding.severity``).

    ``paths`` are files or directories (default ``tei/``); ``schema`` one or
    more .rng/.sch/.isosch/.xsd/.odd files (default: the project's compiled
    schema under ``root``).  ``progress`` is called with the number of files
    finished since the last call; ``files_out`` receives the files validated;
    ``timings`` receives seconds spent compiling, validating and on corpus checks,
    and how many files came from the cache.
    Raises :class:`CorrespteiError` (or ``OSError``) for usage and I/O problems.
    """
    if isinstance(schema, (str, os.PathLike)):
        schema = [schema]
    schemas = resolve_schemas(schema, xsd=xsd, root=root)
    store = cache if isinstance(cache, Cache) else Cache(enabled=bool(cache))
    pending = start_compiling(schemas, store)  # while the files are listed and looked up
    try:
        yield from _iter_errors(paths, schemas, store, pending, xsd=xsd, corpus=corpus, jobs=jobs, limits=limits,
                                changed=changed, root=root, progress=progress, files_out=files_out,
                                timings=timings)
    finally:
        for background in pending.values():
            background.cancel()
        store.close()


def _iter_errors(paths, schemas: SchemaSet, store: Cache, pending: dict[Path, _Background], *, xsd, corpus, jobs,
                 limits, changed, root, progress, files_out, timings) -> Iterator[Finding]:
    all_files = collect_files(paths if paths else [Path(root) / d for d in DEFAULT_PATHS])
    files = changed_files(changed, all_files) if changed else all_files
    if files_out is not None:
        files_out.extend(files)
    schema_key = schemas.digest(limits)

    keys: dict[str, str] = {}
    results: dict[str, tuple[list[Finding], dict | None]] = {}  # cache hits: records as stored (JSON)
    todo: list[str] = []
    for f in files:
        if not store.enabled:
            todo.append(f)
            continue
        try:
            data = read_file(f, limits.max_bytes)[0]
            if isinstance(data, int):  # over the limit: unread, refused by the parse
                data = b"\0too-large"
        except OSError:
            todo.append(f)
            continue
        keys[f] = digest(schema_key, f, data)
        hit = store.get("file:" + keys[f])
        if hit is not None:
            results[f] = ([finding_from_dict(d) for d in hit["findings"]], hit["record"])
        else:
            todo.append(f)
    if progress and results:
        progress(len(results))

    records: dict[str, corpus_mod.Record | dict | None] = {f: r for f, (_, r) in results.items()}
    clock = timings if timings is not None else {}
    clock.update(compile=0.0, validate=0.0, corpus=0.0, cached=float(len(results)))
    if todo:
        yield from _run(todo, schemas, store, pending, limits, jobs, corpus, keys, results, records, progress, clock)
    for f in files:
        if f in results and f not in todo:
            yield from results[f][0]
    if corpus:
        start = time.perf_counter()
        found = list(_corpus_findings(all_files, files, records, limits))
        clock["corpus"] = time.perf_counter() - start
        yield from found


def _run(todo, schemas, store, pending, limits, jobs, want_records, keys, results, records, progress,
         clock: dict[str, float]) -> Iterator[Finding]:
    global _STATE
    start = time.perf_counter()
    jobs = jobs or default_jobs()
    jobs = max(1, min(jobs, len(todo) // MIN_FILES_PER_WORKER or 1))
    sample = todo[:LEAN_SAMPLE] if jobs > 1 and len(todo) >= LEAN_SAMPLE * jobs * 4 else ()
    _STATE = _State(load_validators(schemas, store, pending, sample, limits), limits, want_records)
    clock["compile"] = time.perf_counter() - start
    start = time.perf_counter()
    to_store: list[tuple[str, Any]] = []
    try:
        chunks = _chunks(todo, jobs)
        done_chunks = map(_check_files, chunks) if jobs == 1 else _forked(chunks, jobs)
        for done in done_chunks:
            for path, findings, record in done:
                records[path] = record
                if path in keys:
                    to_store.append(("file:" + keys[path], {"findings": [f.to_dict() for f in findings],
                                                            "record": record.to_dict() if record else None}))
                yield from findings
            if progress:
                progress(len(done))
        clock["validate"] = time.perf_counter() - start
    finally:
        _STATE = None
        store.put_many(to_store)


def _forked(chunks: list[list[str]], jobs: int) -> Iterator[list[tuple[str, list[Finding], corpus_mod.Record | None]]]:
    """``_check_files`` of each chunk, in order, from ``jobs`` forked worker processes.

    The workers inherit the compiled validators and the list of chunks; each takes
    the next chunk from a shared counter and sends back its results as one
    ``marshal`` message (records as tuples; findings, rare, pickled).  No task is
    sent, no result goes through a pool's threads.  A worker that fails ends the
    run with its traceback; the parent stops the others when it is interrupted.
    """
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("i", 0)
    workers: dict[Any, Any] = {}
    gc.freeze()  # the parent's objects: never scanned (nor copied on write) by the workers' collector
    try:
        for _ in range(jobs):
            reader, writer = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_worker, args=(chunks, counter, writer), daemon=True)
            proc.start()
            writer.close()
            workers[reader] = proc
    finally:
        gc.unfreeze()
    waiting: dict[int, list] = {}
    wanted = 0
    try:
        while workers:
            for conn in multiprocessing.connection.wait(list(workers)):
                try:
                    message = marshal.loads(conn.recv_bytes())
                except EOFError:
                    proc = workers.pop(conn)
                    conn.close()
                    proc.join()
                    if proc.exitcode:
                        raise RuntimeError(f"a validation worker ended with exit code {proc.exitcode}")
                    continue
                if message[0] == "failed":
                    raise RuntimeError(f"a validation worker failed:\n{message[1]}")
                _, index, results = message
                waiting[index] = [(path, pickle.loads(found) if found else [],
                                   corpus_mod.Record(*record) if record else None)
                                  for path, found, record in results]
                while wanted in waiting:
                    yield waiting.pop(wanted)
                    wanted += 1
        if wanted != len(chunks):
            raise RuntimeError(f"validation workers returned {wanted} of {len(chunks)} chunks of files")
    finally:
        for conn, proc in workers.items():
            conn.close()
            proc.terminate()
            proc.join()


def _worker(chunks: list[list[str]], counter: Any, conn: Any) -> None:
    try:
        while True:
            with counter.get_lock():
                index = counter.value
                counter.value = index + 1
            if index >= len(chunks):
                break
            results = [(path, pickle.dumps(found) if found else b"",
                        record.to_tuple() if record is not None else None)
                       for path, found, record in _check_files(chunks[index])]
            conn.send_bytes(marshal.dumps(("done", index, results)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        conn.send_bytes(marshal.dumps(("failed", traceback.format_exc())))
    finally:
        conn.close()


def _corpus_findings(all_files: list[str], files: list[str], records: dict[str, corpus_mod.Record | dict | None],
                     limits: Limits) -> Iterator[Finding]:
    """Corpus findings for ``files``, checked against the records of ``all_files``.

    ``records`` holds a Record for each file validated in this run, the stored dict for
    a cache hit, None for a refused file; files missing from it are read here.
    """
    recs = []
    for f in all_files:
        r = records.get(f)
        if r is None and f not in records:
            rec = _record_only(f, limits)  # outside --changed: read for the cross-file checks only
            if rec is not None:
                recs.append(rec)
        elif r is not None:
            recs.append(corpus_mod.Record.from_dict(r) if isinstance(r, dict) else r)
    collecting = gc.isenabled()
    gc.disable()  # the pass makes no cycles; the collector would scan every record again and again
    try:
        found = corpus_mod.check_corpus(recs, loader=lambda p: _record_only(p, limits))
    finally:
        if collecting:
            gc.enable()
    if len(files) == len(all_files):  # files is all_files (not narrowed by --changed): every finding is wanted
        yield from found
        return
    keys: dict[str, str] = {}

    def key(path: str) -> str:
        if path not in keys:
            keys[path] = os.path.normcase(os.path.abspath(path))
        return keys[path]

    wanted = {key(f) for f in files}
    for finding in found:
        if key(finding.file) in wanted:
            yield finding


def validate(paths: Sequence[str | os.PathLike] | None = None, schema=None, *, strict: bool = False,
             **kwargs: Any) -> None:
    """Validate and raise :class:`ValidationError` (with every finding) if any error is found.

    With ``strict`` warnings fail too.  Arguments as for :func:`iter_errors`.
    """
    findings = list(iter_errors(paths, schema, **kwargs))
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(f.severity in failing for f in findings):
        raise ValidationError(sorted(findings, key=Finding.sort_key))


def is_valid(paths: Sequence[str | os.PathLike] | None = None, schema=None, *, strict: bool = False,
             **kwargs: Any) -> bool:
    """True when :func:`validate` would not raise."""
    try:
        validate(paths, schema, strict=strict, **kwargs)
    except ValidationError:
        return False
    return True

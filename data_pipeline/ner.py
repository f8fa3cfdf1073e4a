"""A statistical reader of personal names beside the rules: spaCy's small English NER model.

The rules find people by the signals an analyst sees around a name (a title,
an honorific, "said"); news also names people with none of them ("the talks
attended by Australia's NAME", "according to NAME"). A trained NER model reads
those. It is only a source of *candidates*: `people` decides, with the same
filters and grammar as for its own spans, which become people, and the rules'
reading wins where the two overlap.

The model is optional. It is used only when an allowed package (`models.toml`)
is installed and its meta and NER weights are the ones pinned there, so a
changed model can never change the tables silently; without it, extraction
runs on the rules alone and the manifest says so. `QUAD_NER=off` turns it off.

Only the `ner` component runs (the tagger and parser would triple the cost and
nothing here reads them), and only on the sentences `entities` picks: those
where a name can still stand once known countries, places and bodies are masked.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

__all__ = ["ModelInfo", "allowed_models", "check_folder", "verify", "model_info", "warm_up", "extractor_label", "person_spans"]

# Components of the packaged pipeline that NER does not need: its own tok2vec is inside `ner`.
_UNUSED = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")


@dataclass(frozen=True)
class ModelInfo:
    package: str
    name: str
    version: str
    ner_sha256: str

    def as_dict(self) -> dict[str, str]:
        return {"package": self.package, "name": self.name, "version": self.version, "ner_sha256": self.ner_sha256}


def allowed_models() -> list[dict]:
    """The models `models.toml` allows, in order of preference."""
    text = (resources.files("data_pipeline") / "data" / "models.toml").read_text("utf-8")
    return tomllib.loads(text)["models"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(package: str, expected: dict) -> tuple[ModelInfo | None, Path | None, str]:
    """(info, model folder, reason): the installed package checked against its pinned meta and weights."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None, None, f"{package} is not installed"
    folders = sorted(Path(spec.origin).parent.glob("*/meta.json"))
    if not folders:
        return None, None, f"{package} has no model folder"
    return check_folder(package, folders[0].parent, expected)


def check_folder(package: str, folder: Path, expected: dict) -> tuple[ModelInfo | None, Path | None, str]:
    """A model folder checked against the pinned name, version and SHA-256 of its NER weights."""
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    if (meta.get("name"), meta.get("version")) != (expected["name"], expected["version"]):
        return None, None, f"{package} is {meta.get('name')} {meta.get('version')}, not the pinned {expected['version']}"
    weights = folder / "ner" / "model"
    digest = _sha256(weights) if weights.is_file() else ""
    if digest != expected["ner_sha256"]:
        return None, None, f"{package}'s NER weights do not have the pinned SHA-256"
    return ModelInfo(package, meta["name"], meta["version"], digest), folder, "verified"


@lru_cache(maxsize=1)
def _chosen() -> tuple[ModelInfo | None, Path | None]:
    """The first allowed model that verifies, and its folder; (None, None) for rules alone. Once per process."""
    if os.environ.get("QUAD_NER", "").strip().lower() in ("off", "0", "false", "no"):
        return None, None
    if importlib.util.find_spec("spacy") is None:
        return None, None
    for expected in allowed_models():
        info, folder, _ = verify(expected["package"], expected)
        if info is not None:
            return info, folder
    return None, None


@lru_cache(maxsize=2)
def _nlp(folder: Path):
    """The loaded NER pipeline (only when an article needs it: a build that reuses every extraction never loads it)."""
    import spacy

    return spacy.load(folder, exclude=list(_UNUSED))


def warm_up() -> None:
    """Load the model now, so that a process timing each file (see `isolated`) does not count the load."""
    folder = _chosen()[1]
    if folder is not None:
        _nlp(folder)


def model_info() -> ModelInfo | None:
    """The model extraction uses in this process, or None when it runs on rules alone."""
    return _chosen()[0]


def extractor_label(info: dict | None) -> str:
    """How a build's people were found, in words for the command line and the Overview."""
    if not info:
        return "rules only (no statistical model installed)"
    return f"rules + spaCy {info['package']} {info['version']} (NER)"


def person_spans(text: str, bounds: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Character spans the model labels PERSON, within the given sentence bounds (the caller picks the
    sentences where a name can stand); [] without a model."""
    folder = _chosen()[1]
    if folder is None:
        return []
    nlp = _nlp(folder)
    chosen = list(bounds)
    spans = []
    for (start, _end), doc in zip(chosen, nlp.pipe(text[s:e] for s, e in chosen)):
        spans += [(start + ent.start_char, start + ent.end_char) for ent in doc.ents if ent.label_ == "PERSON"]
    return spans

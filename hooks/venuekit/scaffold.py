"""`./dev new-venue`: a venue file with every field of the model, each with a comment saying what it is."""

from __future__ import annotations

import json
import sys
import types
import typing
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .model import Venue

HEADER = """\
# yaml-language-server: $schema=../schema/venue.schema.json
#
# A new venue file from `./dev new-venue`. Fill in every empty value; the comment above each
# field says what it is, with an example. `./dev validate` lists what is still missing, by line.
# Every fact cites `sources:` by id: add each page you use to `sources` at the end, with the date
# you checked it. Leave a fact out rather than guess it. exchanges/kraken-spot.yml is a complete
# example. Lists show one item: copy it for more, or delete it (and the key) when a list is empty.
"""


def write_venue(directory: Path, ident: str, product: str, name: str | None) -> int:
    slug = f"{ident}-{product}"
    path = directory / f"{slug}.yml"
    if path.exists():
        print(f"{path.relative_to(directory.parent)} already exists; edit it, or pick another id", file=sys.stderr)
        return 1
    title = name or ident.capitalize()
    known = {
        "name": f"{title} {product.capitalize()}",
        "venue": title,
        "slug": slug,
        "product": product,
        "ccxt": [ident],
        "verified": date.today(),
    }
    path.write_text(scaffold(known), encoding="utf-8")
    print(f"wrote {path.relative_to(directory.parent)}: fill it in, then run ./dev validate")
    return 0


def scaffold(known: dict[str, Any]) -> str:
    return HEADER + "\n" + "".join(_fields(Venue, known, 0))


def _fields(model: type[BaseModel], known: dict[str, Any], depth: int) -> list[str]:
    lines: list[str] = []
    pad = "  " * depth
    for name, info in model.model_fields.items():
        lines += [f"{pad}# {line}".rstrip() + "\n" for line in _comment(info)]
        nested, is_list = _nested(info.annotation)
        if name in known:
            lines.append(f"{pad}{name}: {_scalar(known[name])}\n")
        elif nested and is_list:
            lines.append(f"{pad}{name}:\n")
            item = _fields(nested, {}, depth + 2)
            item[_first_field(item)] = item[_first_field(item)].replace(f"{pad}    ", f"{pad}  - ", 1)
            lines += item
        elif nested:
            lines.append(f"{pad}{name}:\n")
            lines += _fields(nested, {}, depth + 1)
        elif is_list:
            lines.append(f"{pad}{name}: []\n")
        else:
            lines.append(f"{pad}{name}:\n")
        if depth == 0:
            lines.append("\n")
    return lines


def _comment(info: FieldInfo) -> list[str]:
    text = (info.description or "").split("\n")
    choices = _choices(info.annotation)
    if choices:
        text.append("One of: " + ", ".join(choices) + ".")
    text.append("Required." if info.is_required() else "Optional.")
    return [" ".join(line.split()) for line in text if line.strip()]


def _first_field(lines: list[str]) -> int:
    # The index of the first line that is a field, not a comment: it carries the list item's dash.
    return next(i for i, line in enumerate(lines) if not line.lstrip().startswith("#"))


def _nested(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    origin = typing.get_origin(annotation)
    if origin is list:
        inner, _ = _nested(typing.get_args(annotation)[0])
        return inner, True
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner, is_list = _nested(arg)
            if inner or is_list:
                return inner, is_list
        return None, False
    if origin is typing.Annotated:
        return _nested(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def _choices(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [member.value for member in annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(arg) for arg in typing.get_args(annotation)]
    found: list[str] = []
    for arg in typing.get_args(annotation):
        found += [c for c in _choices(arg) if c not in found]
    return found


def _scalar(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    text = str(value)
    return json.dumps(text) if not text.replace("-", "").replace(" ", "").isalnum() else text

"""The lunr fix applied to Material's search worker (venuekit.searchfix), on the installed release."""

from __future__ import annotations

from pathlib import Path

import material
import pytest

from venuekit.searchfix import patch_lunr

WORKERS = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"


def test_the_fix_applies_once_to_the_installed_worker() -> None:
    original = next(WORKERS.glob("search.*.min.js")).read_text(encoding="utf-8")
    patched = patch_lunr(original)
    assert patched != original
    assert 'e=e+s+o.id+","}return e}' in patched
    assert 'return t.trim().replace(/(^|\\s)-(?=\\d)/g,"$1").split(' in patched
    assert patch_lunr(patched) == patched


def test_a_worker_without_the_known_code_fails_the_build_loudly() -> None:
    with pytest.raises(ValueError, match="TokenSet.toString was not found"):
        patch_lunr("lunr.TokenSet.prototype.toString=function(){return 'rewritten'}")
    original = next(WORKERS.glob("search.*.min.js")).read_text(encoding="utf-8")
    without_parser = original.replace("return t.trim().split(", "return t.split(")
    with pytest.raises(ValueError, match="query parser was not found"):
        patch_lunr(without_parser)

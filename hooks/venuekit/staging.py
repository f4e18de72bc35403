"""Building into a staging folder beside the site, and swapping it in whole only after a build passed,
so a failed build (load, render or strict check) leaves the previous site byte for byte as it was."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path


class WarningCount(logging.Handler):
    """Counts warnings and errors logged during the build, as a strict build counts them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Staging:
    site: Path
    strict: bool
    warnings: WarningCount = field(default_factory=WarningCount)
    finished: bool = False

    @property
    def folder(self) -> Path:
        return self.site.with_name(f".{self.site.name}.staging")

    def start(self) -> Path:
        """An empty staging folder to build into."""
        shutil.rmtree(self.folder, ignore_errors=True)
        return self.folder

    def end(self) -> bool:
        """Swaps the staged build in when it finished (and, if strict, logged no warning); otherwise
        discards it. Returns whether the site was replaced."""
        passed = self.finished and not (self.strict and self.warnings.count)
        if not passed:
            shutil.rmtree(self.folder, ignore_errors=True)
            return False
        old = self.site.with_name(f".{self.site.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if self.site.exists():
            self.site.rename(old)
        self.folder.rename(self.site)
        shutil.rmtree(old, ignore_errors=True)
        return True

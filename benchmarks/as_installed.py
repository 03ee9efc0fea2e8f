"""Benchmarks measure behave-tdd as pip installs it: byte-compiled.

An editable install under PYTHONDONTWRITEBYTECODE=1 (CI containers set it) compiles
every behave-tdd module from source on every run, about 40 ms that no installed copy
pays; the comparison with serial behave (whose site-packages copy is compiled) would
be unfair. So each benchmark compiles the packages it times once, up front.
"""

from __future__ import annotations

import compileall
import importlib
from pathlib import Path


def compile_packages(*names: str) -> None:
    for name in ("behave_tdd", "behave", *names):
        module = importlib.import_module(name)
        # force: compileall skips a source whose mtime (whole seconds) matches the pyc
        # even if its size differs; the import system then recompiles it on every run.
        compileall.compile_dir(str(Path(str(module.__file__)).parent), quiet=1, force=True)

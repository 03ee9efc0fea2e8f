"""Finding an exception class by name without running project code (for lint).

The hooks import `myapp.errors.PricingError` when they run; lint must say the same
about it, but CI runs lint on untrusted pull requests and pre-commit on every commit,
so it must not execute a project's code. So lint resolves names the way a behave run
from the same directory would (behave puts the features' base directory and the
working directory in front of `sys.path`), with the import system's finders (which
locate a module without executing it), and reads the class from the module's source
(its AST): a `class` statement, an alias, or an import it re-exports. Standard library
modules (never project code) are imported as usual.

Where the source cannot decide (an extension module, a module `__getattr__`, a base
class it cannot follow, a name whose last binding is inside an `if`, `try`, `for`,
`while`, `with` or `match` block), the answer is "undecided": lint warns, never a
false error and never a false pass.
"""

from __future__ import annotations

import ast
import builtins
import functools
import os
import sys
import sysconfig
from collections.abc import Callable, Iterator, Sequence
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
from pathlib import Path

from .expectation import ExpectationError, ExpectationUndecided, Resolver, not_an_exception

_MAX_DEPTH = 12  # alias and base-class chains followed before giving up (undecided)


def behave_search_path(paths: Sequence[str]) -> tuple[str, ...]:
    """sys.path as a behave run on `paths` from the working directory sees it."""
    base = behave_base_dir(paths)
    cwd = os.getcwd()
    front = [str(base)] + ([cwd] if str(base) != cwd else [])
    return tuple(front + [p or cwd for p in sys.path if p and p != _script_dir()])


def behave_base_dir(paths: Sequence[str]) -> Path:
    """The directory behave loads environment.py and steps/ from, for `paths`: found
    from the first path (behave's rule) that exists. A missing path is reported on its
    own; it must not send the search to another directory for the paths that exist."""
    existing = [Path(p) for p in paths if Path(p).exists()]
    first = existing[0] if existing else Path(paths[0]) if paths else Path("features")
    return _base_dir(_resolved(first))


def _resolved(path: Path) -> Path:
    """`path.resolve()`, or its absolute form where links cannot be followed (a
    symbolic link loop: Python before 3.13 raises there). The path itself is checked,
    and named, on its own; working out where behave looks must not stop on it."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _script_dir() -> str:
    """The console script's own directory, which a `behave` run does not share."""
    return str(Path(sys.argv[0]).resolve().parent) if sys.argv and sys.argv[0] else ""


def _base_dir(path: Path) -> Path:
    """behave's base directory: the first directory upwards from the first path that
    holds a steps/ directory or an environment.py (else the path itself)."""
    start = path if _is(path, Path.is_dir) else path.parent
    for candidate in (start, *start.parents):
        if _is(candidate / "steps", Path.is_dir) or _is(candidate / "environment.py", Path.is_file):
            return candidate
    return start


def _is(path: Path, test: Callable[[Path], bool]) -> bool:
    """`path.is_dir()` etc., False where it cannot be looked at (a directory without
    read permission): the paths given are checked, and named, on their own."""
    try:
        return test(path)
    except OSError:
        return False


def static_resolver(search_path: Sequence[str]) -> Resolver:
    """A Resolver for parse_expectation / load_config that never imports project code:
    returns the class for builtins and the standard library, None for a class found
    in source, and raises ExpectationError / ExpectationUndecided."""
    finder = _Finder(tuple(search_path))

    def resolve(name: str) -> type[BaseException] | None:
        return finder.resolve(name.strip())

    return resolve


@functools.cache
def _stdlib_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(
        str(Path(paths[key]).resolve()) for key in ("stdlib", "platstdlib") if key in paths
    )


class _Finder:
    def __init__(self, search_path: tuple[str, ...]) -> None:
        self.search_path = list(search_path)
        self.trees: dict[str, ast.Module | None] = {}

    def resolve(self, name: str) -> type[BaseException] | None:
        if "." not in name:
            found = getattr(builtins, name, None)
            if isinstance(found, type) and issubclass(found, BaseException):
                return found
            raise _not_exception(name)
        module_name, _, attr = name.rpartition(".")
        if _stdlib(module_name, self) or _ours(module_name, self):
            return _from_stdlib(module_name, attr, name)
        spec = self.find_module(module_name)
        if spec is None:
            raise ExpectationError(
                f"cannot import {module_name!r} for {name!r}: No module named {module_name!r}"
            )
        verdict = self.is_exception_class(spec, attr, depth=0)
        if verdict is False:
            raise _not_exception(name)
        return None

    # -- modules ----------------------------------------------------------------------

    def find_module(self, dotted: str) -> ModuleSpec | None:
        """The module's spec, found without executing any package's __init__."""
        parts = dotted.split(".")
        spec = PathFinder.find_spec(parts[0], self.search_path)
        for index in range(1, len(parts)):
            if spec is None or not spec.submodule_search_locations:
                return None
            spec = PathFinder.find_spec(
                ".".join(parts[: index + 1]), list(spec.submodule_search_locations)
            )
        return spec

    def tree(self, spec: ModuleSpec) -> ast.Module | None:
        """The module's source, parsed (None: no Python source to read)."""
        origin = spec.origin or ""
        if origin not in self.trees:
            tree = None
            if isinstance(spec.loader, SourceFileLoader) and origin.endswith(".py"):
                try:
                    tree = ast.parse(Path(origin).read_bytes(), filename=origin)
                except (OSError, SyntaxError, ValueError):
                    tree = None
            self.trees[origin] = tree
        return self.trees[origin]

    # -- classes ----------------------------------------------------------------------

    def is_exception_class(self, spec: ModuleSpec, attr: str, depth: int) -> bool:
        """Whether `attr` in the module is an exception class (False: it is not, or
        not there); raises ExpectationUndecided when the source cannot tell."""
        if depth > _MAX_DEPTH:
            raise ExpectationUndecided(f"{spec.name}.{attr}: too many indirections to follow")
        tree = self.tree(spec)
        if tree is None:
            raise ExpectationUndecided(f"{spec.name} has no Python source to read")
        raising = next((node for node in tree.body if isinstance(node, ast.Raise)), None)
        if raising is not None:  # importing it always fails: the hooks say so too (TDD107)
            raise ExpectationError(
                f"cannot import {spec.name!r} for '{spec.name}.{attr}': it raises at its "
                f"top level (line {raising.lineno})"
            )
        binding = _binding(tree, attr)
        if binding is None:
            if spec.submodule_search_locations and self.find_module(f"{spec.name}.{attr}"):
                return False  # a submodule, not a class
            for star, block in _star_imports(tree, spec):
                if self.has_name(star, attr):
                    if block is not None:
                        raise ExpectationUndecided(
                            f"{spec.name} imports {attr!r} (from {star} import *) inside "
                            f"{block}: whether it runs is decided at import time"
                        )
                    return self.name_is_exception(star, attr, depth + 1)
            if _defines(tree, "__getattr__"):
                raise ExpectationUndecided(f"{spec.name} defines __getattr__")
            return False
        return self.binding_is_exception(spec, binding, depth + 1)

    def has_name(self, module: str, attr: str) -> bool:
        spec = self.find_module(module)
        tree = self.tree(spec) if spec is not None else None
        return tree is not None and _binding(tree, attr) is not None

    def name_is_exception(self, module: str, attr: str, depth: int) -> bool:
        if _stdlib(module, self) or _ours(module, self):
            try:
                _from_stdlib(module, attr, f"{module}.{attr}")
            except ExpectationError:
                return False
            return True
        spec = self.find_module(module)
        if spec is None:
            raise ExpectationUndecided(f"cannot find module {module!r} without importing it")
        return self.is_exception_class(spec, attr, depth)

    def binding_is_exception(self, spec: ModuleSpec, binding: ast.AST, depth: int) -> bool:
        if isinstance(binding, _Conditional):
            raise ExpectationUndecided(
                f"the last binding of {binding.name!r} in {spec.name} is inside "
                f"{binding.block}: whether it runs is decided at import time"
            )
        if isinstance(binding, ast.ClassDef):
            if not binding.bases:
                return False
            undecided: list[str] = []
            for base in binding.bases:
                try:
                    if self.expression_is_exception(spec, base, depth):
                        return True
                except ExpectationUndecided as exc:
                    undecided.append(str(exc))
            if undecided:
                raise ExpectationUndecided("; ".join(undecided))
            return False
        if isinstance(binding, _Reexport):
            module = _absolute(binding.node, spec)
            if self.find_module(f"{module}.{binding.name}") is not None:
                return False  # a submodule
            return self.name_is_exception(module, binding.name, depth)
        if isinstance(binding, ast.expr):
            return self.expression_is_exception(spec, binding, depth)
        return False  # `import x`, a function: not a class

    def expression_is_exception(self, spec: ModuleSpec, node: ast.expr, depth: int) -> bool:
        """A base class or an alias's value: a name or a dotted attribute."""
        if isinstance(node, ast.Name):
            tree = self.tree(spec)
            local = _binding(tree, node.id) if tree is not None else None
            if local is not None:
                return self.binding_is_exception(spec, local, depth + 1)
            found = getattr(builtins, node.id, None)
            if isinstance(found, type):
                return issubclass(found, BaseException)
            raise ExpectationUndecided(f"cannot follow {node.id!r} in {spec.name}")
        dotted = _dotted(node)
        if dotted is not None:
            head, _, attr = dotted.rpartition(".")
            tree = self.tree(spec)
            first = head.split(".")[0]
            imported = _imported_module(tree, first) if tree is not None else None
            if imported is not None:
                module = imported + head[len(first) :]
                return self.name_is_exception(module, attr, depth + 1)
        raise ExpectationUndecided(f"cannot follow {ast.unparse(node)!r} in {spec.name}")


class _Reexport(ast.AST):
    """`from module import name [as alias]`: the name as the other module calls it."""

    def __init__(self, node: ast.ImportFrom, name: str) -> None:
        super().__init__()
        self.node = node
        self.name = name


class _Conditional(ast.AST):
    """A name whose last binding is inside a block that may or may not run (`if`,
    `try`, `for`, `while`, `with`, `match`): `if sys.platform == "win32": class E...`.
    Which branch runs is decided when the module is imported, so the source cannot
    tell (lint warns, TDD110): the hooks, importing it, may well find no class."""

    def __init__(self, name: str, block: str) -> None:
        super().__init__()
        self.name = name
        self.block = block


def _binding(tree: ast.Module | None, name: str) -> ast.AST | None:
    """The last top-level statement that binds `name`; a `_Conditional` when that
    statement is inside a block (whose running the source cannot decide)."""
    if tree is None:
        return None
    found: ast.AST | None = None
    block: str | None = None
    for node, inside in _statements(tree.body, None):
        before = found
        found = _binds(node, name, found)
        if found is not before:
            block = inside
    if found is not None and block is not None:
        return _Conditional(name, block)
    return found


def _binds(node: ast.stmt, name: str, found: ast.AST | None) -> ast.AST | None:
    """What `node` binds `name` to, else `found` (the binding so far)."""
    if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
        if node.name == name:
            found = node
    elif isinstance(node, ast.Assign):
        if any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            found = node.value
    elif isinstance(node, ast.AnnAssign):
        if isinstance(node.target, ast.Name) and node.target.id == name and node.value:
            found = node.value
    elif isinstance(node, ast.ImportFrom):
        for alias in node.names:
            if alias.name != "*" and (alias.asname or alias.name) == name:
                found = _Reexport(node, alias.name)
    elif isinstance(node, ast.Import) and any(
        (a.asname or a.name.split(".")[0]) == name for a in node.names
    ):
        found = node
    return found


def _statements(
    body: Sequence[ast.stmt], inside: str | None
) -> Iterator[tuple[ast.stmt, str | None]]:
    """The module's statements in source order, with the outermost block each is in
    (None: it always runs when the module is imported). Function and class bodies are
    not the module's namespace."""
    for node in body:
        yield node, inside
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        block = inside or _block_name(node)
        nested: list[Sequence[ast.stmt]] = [
            getattr(node, field, None) or [] for field in ("body", "orelse", "finalbody")
        ]
        nested += [handler.body for handler in getattr(node, "handlers", None) or []]
        nested += [case.body for case in getattr(node, "cases", None) or []]
        for statements in nested:
            yield from _statements(statements, block)


def _block_name(node: ast.stmt) -> str:
    """`the 'if' block at line 3`: how a message names the block a binding is in."""
    keyword = {"AsyncFor": "async for", "AsyncWith": "async with", "TryStar": "try"}.get(
        type(node).__name__, type(node).__name__.lower()
    )
    return f"the '{keyword}' block at line {node.lineno}"


def _top_level(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    for node, _ in _statements(body, None):
        yield node


def _defines(tree: ast.Module, name: str) -> bool:
    return _binding(tree, name) is not None


def _star_imports(tree: ast.Module, spec: ModuleSpec) -> list[tuple[str, str | None]]:
    """The modules `from m import *` reads, with the block each import is in."""
    return [
        (_absolute(node, spec), inside)
        for node, inside in _statements(tree.body, None)
        if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names)
    ]


def _absolute(node: ast.ImportFrom, spec: ModuleSpec) -> str:
    """The module an ImportFrom names, relative imports made absolute."""
    if not node.level:
        return node.module or ""
    package = spec.name if spec.submodule_search_locations else spec.name.rpartition(".")[0]
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imported_module(tree: ast.Module, name: str) -> str | None:
    """The module `name` is bound to by `import x` / `import x as name`."""
    for node in _top_level(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname == name:
                    return alias.name
                if alias.asname is None and alias.name.split(".")[0] == name:
                    return name
    return None


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr}" if head is not None else None
    return None


def _stdlib(module: str, finder: _Finder) -> bool:
    """A module of the standard library (imported as usual: never project code)."""
    top = module.split(".")[0]
    if top in sys.builtin_module_names or top in getattr(sys, "stdlib_module_names", ()):
        spec = PathFinder.find_spec(top, finder.search_path)
        if spec is None or spec.origin is None:
            return True  # builtin or frozen
        origin = str(Path(spec.origin).resolve())
        return any(origin.startswith(d + os.sep) for d in _stdlib_dirs()) and (
            "site-packages" not in origin
        )
    return False


def _ours(module: str, finder: _Finder) -> bool:
    """behave-tdd itself, the very copy running lint (never project code), imported as
    usual: its public names load on first use, through a module `__getattr__` and an
    `if TYPE_CHECKING:` block its source cannot decide (`raises=behave_tdd.RaceTimeout`,
    as the README and `help()` write it, would be a TDD110 warning)."""
    top = module.split(".")[0]
    if top != __name__.split(".")[0]:
        return False
    spec = PathFinder.find_spec(top, finder.search_path)
    return (
        spec is not None
        and spec.origin is not None
        and _resolved(Path(spec.origin)) == _resolved(Path(__file__).parents[1] / "__init__.py")
    )


def _from_stdlib(module_name: str, attr: str, name: str) -> type[BaseException]:
    """Import it, with whatever the module prints as it loads (`this` prints the Zen
    of Python) sent to stderr: lint's standard output is its report (`--format json`
    is read by tools) and must carry nothing else; stderr keeps it visible."""
    import contextlib

    from .expectation import import_exception

    del module_name, attr
    with contextlib.redirect_stdout(sys.stderr):
        return import_exception(name)


def _not_exception(name: str) -> ExpectationError:
    return not_an_exception(name)  # the run's own words, its "did you mean" too

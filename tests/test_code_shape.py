"""The shape the code keeps (README, "Architecture"), read from its syntax: dependencies between
the apps run one way (agencies ← complaints ← routing), never through an import inside a
function; one function changes a report's status and version (complaints.lifecycle); no view
module is imported by an API module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("agencies", "complaints", "routing")
LAYER = {"agencies": 0, "complaints": 1, "routing": 2}


def _sources():
    for app in (*APPS, "lapor"):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield app, path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def _app_of(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in (*APPS, "lapor") else None


SOURCES = list(_sources())


def test_no_import_between_apps_inside_a_function():
    found = []
    for app, path, tree in SOURCES:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                for module in _imported(node):
                    other = _app_of(module)
                    if other is not None and other != app:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {module}")
    assert found == []


def test_dependencies_between_apps_run_one_way():
    upward = []
    for app, path, tree in SOURCES:
        if app not in LAYER:
            continue
        for node in tree.body:
            for module in _imported(node):
                other = _app_of(module)
                if other in LAYER and LAYER[other] > LAYER[app]:
                    upward.append(f"{path.relative_to(ROOT)} imports {module}")
    assert upward == []


def _sets_status_or_version(tree: ast.AST):
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            # (a queue's filter has a "status" too: not a report)
            if isinstance(target, ast.Attribute) and target.attr in ("status", "version") and not (
                isinstance(target.value, ast.Name) and target.value.id == "filters"
            ):
                yield node.lineno, target.attr
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and (
            node.func.attr == "update"
        ) and any(k.arg in ("status", "version") for k in node.keywords):
            yield node.lineno, "update(status/version)"


def test_one_function_changes_a_reports_status_and_version():
    elsewhere = [
        f"{path.relative_to(ROOT)}:{line} sets {what}"
        for app, path, tree in SOURCES
        if path.name != "lifecycle.py"
        for line, what in _sets_status_or_version(tree)
    ]
    assert elsewhere == []


@pytest.mark.parametrize("api_module", sorted(
    str(p.relative_to(ROOT)) for app in APPS for p in (ROOT / app).rglob("api*.py")
    if "migrations" not in p.parts
) + sorted(str(p.relative_to(ROOT)) for app in APPS for p in (ROOT / app).glob("api/*.py")))
def test_api_modules_do_not_import_page_views(api_module):
    tree = ast.parse((ROOT / api_module).read_text(encoding="utf-8"))
    views = [m for node in ast.walk(tree) for m in _imported(node)
             if _app_of(m) in APPS and ".views" in m]
    assert views == []

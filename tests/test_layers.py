"""The layers run one way: archive → dialogue → editorial. A lower layer never imports, names
(``apps.get_model("archive", …)``) or includes a template of a higher one."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ABOVE = {"editorial": ("dialogue", "archive"), "dialogue": ("archive",)}
#: The templates each layer's views render, and what they may not include or extend.
TEMPLATE_FOLDERS = {"dialogue": ("dialogue",), "editorial": ("includes", "admin")}


def python_files(app):
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_a_layer_never_imports_a_higher_one(app):
    found = []
    for path in python_files(app):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name.split(".")[0] in ABOVE[app]]
    assert found == []


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_a_layer_never_names_a_higher_one(app):
    label = re.compile(r"^(" + "|".join(ABOVE[app]) + r")(\.\w+)*$")  # "archive", "archive.PressRelease"…
    found = []
    for path in python_files(app):
        for node in ast.walk(ast.parse(path.read_text())):
            # A bare name in a string (prose in docstrings and messages has spaces).
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and label.match(node.value):
                found.append(f"{path.relative_to(ROOT)}: {node.value!r}")
    assert found == []


@pytest.mark.parametrize("app", sorted(TEMPLATE_FOLDERS))
def test_a_layers_templates_never_include_a_higher_ones(app):
    forbidden = re.compile("{%" + r"""\s*(include|extends)\s+["'](""" + "|".join(ABOVE[app]) + ")/")
    found = []
    for folder in TEMPLATE_FOLDERS[app]:
        for path in (ROOT / "templates" / folder).rglob("*.html"):
            found += [f"{path.relative_to(ROOT)}: {match.group(0)}" for match in forbidden.finditer(path.read_text())]
    assert found == []


def test_the_checks_would_see_a_violation(tmp_path):
    """The scan itself works: an import of archive in a dialogue module would be found."""
    tree = ast.parse("from archive.models import PressRelease\nimport archive.search\n")
    names = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    names += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert [name for name in names if name.split(".")[0] in ABOVE["dialogue"]] == ["archive.models", "archive.search"]

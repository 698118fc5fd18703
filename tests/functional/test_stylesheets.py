"""Stylesheets are parsed in a compact form (cramp_coach.stylesheets.compact): for every stylesheet
the app can read, ours and Textual's widgets' own, the rules come out the same as from the text as
written; and text it cannot safely compact is left alone."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
import textual.widgets
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode

import cramp_coach
from cramp_coach import stylesheets


def _every_stylesheet() -> list[tuple[str, str]]:
    """(where, text) for each .tcss of ours and each CSS/DEFAULT_CSS of a Textual or cramp coach class."""
    found = [(str(path), path.read_text()) for path in sorted(Path(cramp_coach.__file__).parent.rglob("*.tcss"))]
    for name in textual.widgets.__all__:
        getattr(textual.widgets, name)  # loads each widget (they are imported lazily)
    for module in pkgutil.walk_packages(cramp_coach.__path__, "cramp_coach."):
        if not module.name.startswith(("cramp_coach.serve", "cramp_coach.__main__")):
            importlib.import_module(module.name)
    seen: set[str] = set()
    classes: list[type] = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        for attribute in ("DEFAULT_CSS", "CSS"):
            text = cls.__dict__.get(attribute)
            if isinstance(text, str) and text.strip() and text not in seen:
                seen.add(text)
                found.append((f"{cls.__qualname__}.{attribute}", text))
    return found


def _rules(text: str, where: str, variables: dict[str, str]) -> list[tuple[object, ...]]:
    stylesheet = Stylesheet(variables=variables)
    rules = stylesheets._textual_parse(stylesheet, text, (where, ""))
    return [
        (rule.selectors, sorted((name, repr(value)) for name, value in rule.styles.get_rules().items()),
         rule.selector_names, rule.pseudo_classes, [str(error) for error in rule.errors])
        for rule in rules
    ]


SHEETS = _every_stylesheet()


def test_every_stylesheet_is_found():
    names = [where for where, _ in SHEETS]
    assert len(SHEETS) > 60
    assert any(name.endswith("relief.tcss") for name in names)
    assert "Button.DEFAULT_CSS" in names and "DataTable.DEFAULT_CSS" in names and "TitleLine.DEFAULT_CSS" in names


@pytest.mark.parametrize(("where", "text"), SHEETS, ids=[where.rsplit("/", 1)[-1] for where, _ in SHEETS])
def test_a_compact_stylesheet_gives_the_same_rules(where, text):
    variables = App().get_css_variables()
    assert _rules(stylesheets.compact(text), where, variables) == _rules(text, where, variables)


def test_compacting_leaves_out_comments_and_spaces_around_punctuation():
    text = "/* a comment { } */\nScreen > #a, .b:focus {\n    height: 1;\n    border: round $primary;\n}\n"
    assert stylesheets.compact(text) == "Screen > #a, .b:focus{height:1;border:round $primary;}"


@pytest.mark.parametrize("text", ['A { link-style: "x ; y"; }', "# a comment;\nA { height: 1; }", "$mine: red\nA { color: $mine; }"])
def test_text_that_a_line_break_or_a_quote_could_change_is_left_as_written(text):
    assert stylesheets.compact(text) == text


def test_a_mistake_is_reported_at_its_line_as_written():
    text = "A {\n    height: 1;\n}\n\nB {\n    colour: red;\n}\n"
    stylesheet = Stylesheet()
    rules = stylesheets._parse_rules_once(stylesheet, text, ("mine.tcss", ""))
    errors = [error for rule in rules for error in rule.errors]
    assert [(token.location, token.code) for token, _ in errors] == [((5, 4), text)]  # line 6, column 5 (from 0)

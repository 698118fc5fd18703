"""Each stylesheet parsed once per theme, however often Textual refreshes its CSS.

Textual parses every stylesheet again whenever it refreshes its CSS: at start-up, when a mode
opens, when a screen brings a stylesheet of its own, when the theme changes. Each refresh makes a
new ``Stylesheet`` whose own cache is empty, so the same text is parsed again: the diary's
first frame parsed every stylesheet three times (11 ms of it), and going home and back parsed them
all again. The rules a text parses to depend only on the text, where it came from, its scope and
the theme's variables, so :func:`keep_parsed_stylesheets` keeps them by exactly those, for every
stylesheet of the process. Textual already shares one parse between calls on one stylesheet; this
shares it between the stylesheets it makes. A test counts the parses.

Each text is parsed in a :func:`compact` form: about 40% fewer tokens, the same rules (a test
parses every stylesheet of the app and of Textual's widgets both ways and compares the rules).
"""

from __future__ import annotations

import re
from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet, StylesheetError
from textual.css.tokenizer import TokenError

MOST_KEPT = 512  # parsed sources kept (a few dozen per theme in practice); all dropped past this

_parsed: dict[tuple[Any, ...], list[RuleSet]] = {}
_variables_keys: dict[int, tuple[dict[str, str], frozenset[tuple[str, str]]]] = {}
_textual_parse = Stylesheet._parse_rules


def _variables_key(stylesheet: Stylesheet) -> frozenset[tuple[str, str]]:
    """The theme variables a stylesheet parses with, as a key (worked out once per variables dict)."""
    variables = stylesheet._variables
    known = _variables_keys.get(id(variables))
    if known is None or known[0] is not variables:
        if len(_variables_keys) > MOST_KEPT:
            _variables_keys.clear()
        known = (variables, frozenset(variables.items()))
        _variables_keys[id(variables)] = known
    return known[1]


_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_AROUND_PUNCTUATION = re.compile(r"\s*([{};])\s*")
_AFTER_A_NAME = re.compile(r"(?<=[a-z0-9_-]:)[ \t]+")  # "height: 1" -> "height:1"
_KEEP_AS_WRITTEN = re.compile(r'"|#\s|^\s*\$[\w-]+\s*:', re.MULTILINE)  # strings, line comments, variables


def compact(css: str) -> str:
    """The same rules in fewer tokens: comments, and the spaces and line breaks around braces and
    semicolons, left out (Textual's tokenizer spends most of a parse on them). Text that holds a
    string, a ``#`` comment or a variable (which a line break may end) is left as written."""
    if _KEEP_AS_WRITTEN.search(css):
        return css
    return _AFTER_A_NAME.sub("", _AROUND_PUNCTUATION.sub(r"\1", _COMMENT.sub("", css))).strip()


def _parse_rules_once(
    self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False, tie_breaker: int = 0, scope: str = "",
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
    rules = _parsed.get(key)
    if rules is None:

        def parse(text: str) -> list[RuleSet]:
            return _textual_parse(self, text, read_from, is_default_rules=is_default_rules, tie_breaker=tie_breaker, scope=scope)

        try:
            rules = parse(compact(css))
        except (TokenError, StylesheetError):
            rules = []
        if not rules or any(rule.errors for rule in rules):  # parsed as written, so an error names its real line
            rules = parse(css)
        if len(_parsed) >= MOST_KEPT:
            _parsed.clear()
        _parsed[key] = rules
    return rules


def keep_parsed_stylesheets() -> None:
    """Parse each stylesheet once per theme from now on, in every Textual stylesheet (idempotent)."""
    Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]

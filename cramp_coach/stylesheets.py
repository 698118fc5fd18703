"""Each stylesheet parsed once per theme, however often Textual refreshes its CSS.

Textual parses every stylesheet again whenever it refreshes its CSS: at start-up, when a mode
opens, when a screen brings a stylesheet of its own, when the theme changes. Each refresh makes a
new ``Stylesheet`` whose own cache is empty, so the same text is parsed again: the diary's
first frame parsed every stylesheet three times (11 ms of it), and going home and back parsed them
all again. The rules a text parses to depend only on the text, where it came from, its scope and
the theme's variables, so :func:`keep_parsed_stylesheets` keeps them by exactly those, for every
stylesheet of the process. Textual already shares one parse between calls on one stylesheet; this
shares it between the stylesheets it makes. A test counts the parses.
"""

from __future__ import annotations

from typing import Any

from textual.css.model import RuleSet
from textual.css.stylesheet import Stylesheet

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


def _parse_rules_once(
    self: Stylesheet, css: str, read_from: Any, is_default_rules: bool = False, tie_breaker: int = 0, scope: str = "",
) -> list[RuleSet]:
    key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self))
    rules = _parsed.get(key)
    if rules is None:
        rules = _textual_parse(self, css, read_from, is_default_rules=is_default_rules, tie_breaker=tie_breaker, scope=scope)
        if len(_parsed) >= MOST_KEPT:
            _parsed.clear()
        _parsed[key] = rules
    return rules


def keep_parsed_stylesheets() -> None:
    """Parse each stylesheet once per theme from now on, in every Textual stylesheet (idempotent)."""
    Stylesheet._parse_rules = _parse_rules_once  # type: ignore[method-assign]

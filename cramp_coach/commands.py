"""Every app-wide action, declared once: its keys, its footer label and its command-palette entry.

The app's bindings, the home screen's bindings and hint lines, and the command palette are all
built from :data:`COMMANDS`, so an action is named, keyed and described in this one place.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from cramp_coach.core.record import record


@record
class Command:
    """One action of the app (run on the App, e.g. ``go('diary')``)."""

    action: str
    title: str  # in the command palette
    help: str  # the palette's line under the title
    label: str  # in the footer and the hints
    home_key: str = ""  # its key on the home screen (shown in the footer there when ``home_footer``)
    global_key: str = ""  # its key everywhere (not shown: the palette lists it)
    home_footer: bool = False


COMMANDS: tuple[Command, ...] = (
    Command("cramp_now", "Cramp now", "Start the relief routine for a calf cramp", "cramp now", "c", home_footer=True),
    Command("go('checklist')", "Bedtime checklist", "Tonight's prevention checklist", "bedtime", "b", "f2", home_footer=True),
    Command("go('diary')", "Diary", "History, filters, stats", "diary", "d", "f3", home_footer=True),
    Command("go('home')", "Home", "The home screen", "home", global_key="f1"),
    Command("triage", "Is this a cramp?", "A few yes/no questions", "is it a cramp?", "t"),
    Command("red_flags", "Red flags", "When to get medical help", "red flags", "exclamation_mark", "exclamation_mark", home_footer=True),
    Command("sources", "Sources", "Where every piece of advice comes from", "sources", "s"),
    Command("settings", "Settings", "Theme, bell, night hours, emergency number, step durations", "settings", "p"),
    Command("quit", "Quit", "Leave cramp coach", "quit", "q", "ctrl+q", home_footer=True),
)

KEY_SHOWN = {"exclamation_mark": "!"}


def app_bindings() -> list[BindingType]:
    """The keys that work on every screen (a screen's own bindings come first)."""
    return [
        Binding(command.global_key, command.action, command.label, show=False, priority=command.action == "quit")
        for command in COMMANDS
        if command.global_key
    ]


def home_bindings(own: frozenset[str] = frozenset()) -> list[BindingType]:
    """The home screen's one-key actions, the essential ones in its footer; ``own`` are the
    actions home runs itself (the rest run on the app)."""
    return [
        Binding(command.home_key, command.action if command.action in own else f"app.{command.action}", command.label, show=command.home_footer)
        for command in COMMANDS
        if command.home_key
    ]


def home_hint(*actions: str) -> str:
    """``[b]key[/b] what it does`` for these actions, as a line of markup for the home screen."""
    by_action = {command.action: command for command in COMMANDS}
    shown = [by_action[action] for action in actions]
    return "   ".join(f"[b]{KEY_SHOWN.get(c.home_key, c.home_key)}[/b] {c.title[0].lower()}{c.title[1:]}" for c in shown)

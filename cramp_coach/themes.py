"""The app's themes: a dim night theme (amber on black, no bright white), a day theme, high contrast."""

from __future__ import annotations

from textual.theme import Theme

# The setting's theme (core.settings.THEMES, less "auto") -> the Textual theme that draws it.
THEME_NAMES = {"night": "cramp-night", "day": "cramp-day", "high-contrast": "cramp-contrast"}

_NIGHT_BASES = {
    "primary": "#b86b12",
    "secondary": "#8a5a1c",
    "accent": "#d98c1f",
    "warning": "#d98c1f",
    "error": "#c0392b",
    "success": "#9a7b1c",
    "surface": "#0c0804",
    "panel": "#171008",
    "boost": "#1e140a",
}

NIGHT = Theme(
    name="cramp-night",
    primary="#b86b12",
    secondary="#8a5a1c",
    accent="#d98c1f",
    warning="#d98c1f",
    error="#c0392b",
    success="#9a7b1c",
    foreground="#d08a2e",
    background="#000000",
    surface="#0c0804",
    panel="#171008",
    boost="#1e140a",
    dark=True,
    luminosity_spread=0.08,
    text_alpha=0.9,
    variables={
        "text-muted": "#a06a24",  # 4.6:1 on black: muted, still readable (was 3.7:1)
        "text-disabled": "#7a5020",  # placeholders: about 3:1 (was 2:1)
        "footer-key-foreground": "#d98c1f",
        "footer-description-foreground": "#b07428",
        "block-cursor-text-style": "none",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#b86b12",
        "input-cursor-foreground": "#000000",
        "input-cursor-background": "#b86b12",
        "input-selection-background": "#5c3c14",
        "scrollbar": "#3a2610",
        "scrollbar-hover": "#5c3c14",
        "scrollbar-active": "#8a5a1c",
        "link-color": "#d98c1f",
        "border": "#8a5a1c",
        "border-blurred": "#3a2610",
        # Buttons: dark text on the dim amber, and focus shown in bold, never as a reversed bright block.
        "button-foreground": "#d08a2e",
        "button-color-foreground": "#000000",
        "button-focus-text-style": "bold",
        # Lightened shades (button edges, hovers) stay within the dim palette.
        **{f"{name}-lighten-{step}": colour for name, colour in _NIGHT_BASES.items() for step in (1, 2, 3)},
    },
)

DAY = Theme(
    name="cramp-day",
    primary="#3f7cc7",
    secondary="#5a6f8f",
    accent="#e0a449",
    warning="#e0a449",
    error="#d9534f",
    success="#4caf50",
    foreground="#e6e6e6",
    background="#15181d",
    surface="#1d2128",
    panel="#262b33",
    dark=True,
)

HIGH_CONTRAST = Theme(
    name="cramp-contrast",
    primary="#ffff00",
    secondary="#00ffff",
    accent="#00ffff",
    warning="#ffff00",
    error="#ff5f5f",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#202020",
    dark=True,
    luminosity_spread=0.2,
    text_alpha=1.0,
)

THEMES = (NIGHT, DAY, HIGH_CONTRAST)

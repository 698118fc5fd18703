"""The screens of cramp_coach: a thin Textual face over the core."""

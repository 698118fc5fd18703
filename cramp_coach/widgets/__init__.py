"""Reusable widgets of cramp_coach."""

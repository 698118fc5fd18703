"""The pure core of cramp_coach: content, routine engine, diary and statistics. Never imports Textual."""

"""Scoring geomap against gold data: toponyms (corpora, seed gold) and incidents (seed gold, dev sets)."""

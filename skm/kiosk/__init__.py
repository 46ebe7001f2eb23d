"""Kiosk and phone survey: the citizen's questionnaire."""

"""Every table of SKM, one module per part of the application.

``survey`` holds what a survey is about and what it stores: units, layanan,
responses and the staff accounts; the other modules hold the tables of one
feature each (``kiosk``, ``paper``, ``iku`` ...), and ``summaries`` the
summary tables maintained on write. They live together, below every
feature, so that a feature that reads another's tables (moving a unit
touches all of them) imports models, never the other feature.

Importing this package registers every table on ``Base.metadata``.
"""

from __future__ import annotations

from skm.models import admin, api, auth, iku, kiosk, paper, reports, staff, summaries
from skm.models.survey import (
    ANSWER_SLOTS,
    CHANNELS,
    ROLES,
    SCORING_COLUMNS,
    UNIT_KINDS,
    Layanan,
    SurveyResponse,
    Unit,
    User,
    answer_column_name,
)

__all__ = [
    "ANSWER_SLOTS",
    "CHANNELS",
    "ROLES",
    "SCORING_COLUMNS",
    "UNIT_KINDS",
    "Layanan",
    "SurveyResponse",
    "Unit",
    "User",
    "admin",
    "answer_column_name",
    "api",
    "auth",
    "iku",
    "kiosk",
    "paper",
    "reports",
    "staff",
    "summaries",
]

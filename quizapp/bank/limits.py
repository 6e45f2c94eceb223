"""The caps on question files this app runs with (QUIZAPP_BANK_*), for the commands and the page."""

from __future__ import annotations

from dataclasses import replace

from flask import current_app

from quizapp.bank.files.limits import LoadLimits


def configured(*, page: bool = False) -> LoadLimits:
    """The caps from the configuration; on the Question bank page also a time limit,
    so that checking a large or crafted bank never keeps a server worker past its timeout."""
    limits: LoadLimits = current_app.config["BANK_LIMITS"]
    return replace(limits, seconds=float(current_app.config["BANK_PAGE_SECONDS"])) if page else limits

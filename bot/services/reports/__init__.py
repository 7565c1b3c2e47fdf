"""Moderator reports (``/setup report``): sources per feature, suppression in the domain."""

from bot.services.reports.service import ReportService
from bot.services.reports.sources import SOURCES, Source

__all__ = ["SOURCES", "ReportService", "Source"]

"""Moderator reports (``/setup report``): sources per feature, suppression in the domain."""

from bot.services.reports.service import ReportService
from bot.services.reports.sources import Source

__all__ = ["ReportService", "Source"]

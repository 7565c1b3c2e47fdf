"""The schema as SQLAlchemy Core tables, one module per feature.

Migrations must keep the database equal to ``metadata``; a test compares them. Importing this
package registers every table: it imports each module in it, so a feature's new schema module
needs no line here (its manifest names it, and a test checks every table is in one manifest).
"""

import importlib
import pkgutil

from bot.storage.schema.base import metadata

MODULES = tuple(
    importlib.import_module(f"{__name__}.{module.name}")
    for module in pkgutil.iter_modules(__path__)
    if module.name != "base"
)

__all__ = ["MODULES", "metadata"]

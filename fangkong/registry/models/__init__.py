"""Registry models, one module per part: people and their homes, screening rounds
(people.py) and spreadsheet imports (imports.py)."""

from fangkong.registry.models.imports import *  # noqa: F403
from fangkong.registry.models.people import *  # noqa: F403

"""Registry models, one module per part: people and their homes (people.py), screening
rounds (screening.py), spreadsheet imports (imports.py) and handovers between communities
(transfers.py)."""

from fangkong.registry.models.imports import *  # noqa: F403
from fangkong.registry.models.people import *  # noqa: F403
from fangkong.registry.models.screening import *  # noqa: F403
from fangkong.registry.models.transfers import *  # noqa: F403

"""The `fangkong` console script: Django's manage.py for the installed package."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fangkong.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "demo":
        # The embedded default: debug on, tasks in-process, SQLite under var/.
        os.environ.setdefault("FANGKONG_DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()

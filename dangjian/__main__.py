"""The ``dangjian`` console command: what an operator does, one word each.

dangjian demo [--accounts]      build the demo city 北流市 (or print its accounts)
dangjian gen --scale city       generate a Yulin-sized city for benchmarks
dangjian import FILE.xlsx       import territory/organisations/people/units/positions
dangjian export KIND [-o F]     export a list as .xlsx
dangjian serve                  start the background worker and serve with gunicorn
dangjian <any manage.py command> e.g. migrate, createsuperuser, db_worker
"""

import os
import sys

ALIASES = {"import": "import_xlsx", "export": "export_xlsx", "gen": "gen_city"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    args[0] = ALIASES.get(args[0], args[0])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["dangjian", *args])


if __name__ == "__main__":
    main()

"""``python -m dbarch`` is the ``dbarch`` command."""

from dbarch.cli import main

main()

"""``python -m skm.cli``: the same as the ``skm`` console script."""

from skm.cli import main

main()

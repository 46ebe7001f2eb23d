"""``python -m skm.cli``, as earlier versions were run: the ``skm`` program."""

from skm.__main__ import main

main()

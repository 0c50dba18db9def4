"""Allow `python -m sandbox`, the same as the `npq-sandbox` command."""

from sandbox.cli import main

main()

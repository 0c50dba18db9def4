"""Allow `python -m npq_sandbox`, the same as the `npq-sandbox` command."""

from npq_sandbox.cli import main

main()

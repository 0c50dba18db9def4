"""A throwaway client that exits without writing a results file."""

import sys

print("nothing to report")
sys.exit(3)

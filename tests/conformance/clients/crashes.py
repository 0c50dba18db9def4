"""A throwaway client that says a lot on stderr, then crashes before writing results."""

import sys

print("starting")
for line in range(1, 31):
    print(f"trace line {line}", file=sys.stderr)
raise SystemExit("client gave up: <no connection>")

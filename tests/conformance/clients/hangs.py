"""A throwaway client that never finishes."""

import time

time.sleep(600)

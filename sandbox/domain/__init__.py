"""Pure rules of DfE's NPQ Lead Provider API: reference data, records, states and errors.

Nothing here knows about HTTP or storage; time, ids and randomness are passed in.
"""

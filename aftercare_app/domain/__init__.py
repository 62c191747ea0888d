"""Pure domain core: standard library and dateutil only, no I/O, no clock.

Every function that depends on time takes ``now`` (a timezone-aware datetime)
as a parameter; durations are computed on instants, so a 23-hour day around a
DST change is 23 hours.
"""

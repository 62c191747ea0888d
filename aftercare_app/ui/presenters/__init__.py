"""What each screen shows, computed without Flet: one module per screen, plus the words they share.

Each function takes plain values (the protocol, records or the report the services give, ``now`` and the patient's
zone) and returns a small frozen view model holding the words to display. The rules stay in the domain; these
modules only word them, so every wording is tested without a browser.
"""

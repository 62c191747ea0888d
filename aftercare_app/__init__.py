"""Aftercare companion: recovery after facial or scalp mesotherapy, kept on the patient's device."""

__version__ = "0.1.0"

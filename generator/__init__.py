"""Clausier: GDPR documents for health-data partnerships and medical research."""

__version__ = "0.1.0"

"""Committed eval baselines (``<library>-extractive.json``, ``<library>-local.json``) and
the tool that slims them."""

"""Committed eval baselines (``extractive.json``, ``local.json``) and the tool that slims them."""

"""Checks for the private-data-stores criterion."""

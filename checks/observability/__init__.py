"""Checks for the observability criterion."""

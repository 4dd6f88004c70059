"""Checks for the multi-az criterion."""

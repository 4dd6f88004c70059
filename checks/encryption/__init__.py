"""Checks for the encryption criterion."""

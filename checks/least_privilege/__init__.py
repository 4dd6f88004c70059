"""Checks for the least-privilege criterion."""

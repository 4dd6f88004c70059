"""Checks for the egress-cost criterion."""

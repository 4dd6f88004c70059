"""Checks for the secrets criterion."""

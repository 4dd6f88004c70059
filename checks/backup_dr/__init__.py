"""Checks for the backup-dr criterion."""

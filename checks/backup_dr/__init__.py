"""Checks for the backup-dr criterion: automated backups and their retention, point-in-time
recovery, deletion protection and deletion policies, versioning and snapshots.

Severity follows the consequence: a stateful store with backups switched off is high
(DR001); a missing safety net on a store that still has backups is medium (DynamoDB PITR,
DR004) or low (short retention, deletion protection, versioning, snapshots of caches).
"""

"""Shared RDS questions for the backup-dr checks (not a check)."""

from __future__ import annotations

from archreview.model import Resource
from archreview.views import facet


def judged_by_cluster_or_source(db: Resource) -> bool:
    """An Aurora member, an Aurora-engine instance or a read replica: its backups and
    protection belong to the cluster or the source database, not to the instance."""
    engine = facet(db, "engine")
    return (facet(db, "cluster") is not None or facet(db, "read_replica_source") is not None
            or (isinstance(engine, str) and engine.lower().startswith("aurora")))

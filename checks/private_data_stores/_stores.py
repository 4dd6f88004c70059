"""What the private-data-stores checks share: which resources are data stores, their ports,
and where their network placement is read from. Not a check (the leading underscore keeps
discovery away)."""

from __future__ import annotations


from archreview.model import Resource
from archreview.views import as_list, facet, has_facet

# The resources that hold data and sit in a VPC. Aurora is judged at the cluster (which owns
# the security groups); EFS through its mount targets (which own subnet and security groups).
STORE_KINDS = ("rds_instance", "rds_cluster", "redshift_cluster", "cache_replication_group", "cache_cluster",
               "search_domain", "docdb_cluster", "neptune_cluster", "efs_mount_target", "msk_cluster",
               "dms_replication_instance")

ENGINE_PORTS = (
    ("aurora-postgresql", 5432), ("postgres", 5432), ("aurora-mysql", 3306), ("aurora", 3306),
    ("mysql", 3306), ("mariadb", 3306), ("oracle", 1521), ("sqlserver", 1433), ("db2", 50000),
    ("redis", 6379), ("valkey", 6379), ("memcached", 11211),
)
KIND_PORTS = {"redshift_cluster": (5439,), "search_domain": (443, 9200), "docdb_cluster": (27017,),
              "neptune_cluster": (8182,), "efs_mount_target": (2049,), "msk_cluster": (9092, 9094, 9096, 9098, 2181),
              "cache_replication_group": (6379,)}

# Ports a database, cache, search engine, broker or file share listens on.
DATA_PORTS: dict[int, str] = {
    3306: "MySQL/MariaDB/Aurora MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 1521: "Oracle",
    50000: "Db2", 5439: "Redshift", 6379: "Redis/Valkey", 11211: "Memcached", 27017: "MongoDB/DocumentDB",
    9200: "OpenSearch/Elasticsearch", 9300: "Elasticsearch transport", 8182: "Neptune", 9042: "Cassandra/Keyspaces",
    9092: "Kafka", 9094: "Kafka TLS", 2049: "NFS/EFS",
}


def is_store(res: Resource) -> bool:
    """Skip the parts judged elsewhere: Aurora members (their cluster) and cache nodes of a group."""
    if res.kind == "rds_instance" and facet(res, "cluster") is not None:
        return False
    if res.kind == "cache_cluster" and facet(res, "replication_group") is not None:
        return False
    if res.kind == "search_domain" and not as_list(facet(res, "subnets")):
        return False      # not in a VPC: judged on its access policy instead
    return True


def ports_of(res: Resource) -> tuple[int, ...]:
    """The port a store listens on: its `port` facet, else its engine's default."""
    if has_facet(res, "port"):
        port = facet(res, "port")
        if isinstance(port, int) and not isinstance(port, bool) and port > 0:
            return (port,)
    if has_facet(res, "engine"):
        engine = facet(res, "engine")
        if isinstance(engine, str):
            for prefix, port in ENGINE_PORTS:
                if engine.lower().startswith(prefix):
                    return (port,)
    return KIND_PORTS.get(res.kind, ())


def label(res: Resource) -> str:
    from archreview.views import kind_named
    try:
        return kind_named(res.kind).label or res.kind
    except KeyError:
        return res.kind



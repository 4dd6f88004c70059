"""What the private-data-stores checks share: which resources are data stores, their ports,
and where their network placement is read from. Not a check (the leading underscore keeps
discovery away)."""

from __future__ import annotations


from archreview.model import Resource
from archreview.views import as_list, facet
from archreview.views.datastores import listening_ports

# The resources that hold data and sit in a VPC. Aurora is judged at the cluster (which owns
# the security groups); EFS through its mount targets (which own subnet and security groups).
STORE_KINDS = ("rds_instance", "rds_cluster", "redshift_cluster", "cache_replication_group", "cache_cluster",
               "search_domain", "docdb_cluster", "neptune_cluster", "efs_mount_target", "msk_cluster",
               "dms_replication_instance", "mq_broker")

# Ports a database, cache, search engine, broker or file share listens on.
DATA_PORTS: dict[int, str] = {
    3306: "MySQL/MariaDB/Aurora MySQL", 5432: "PostgreSQL", 1433: "SQL Server", 1521: "Oracle",
    50000: "Db2", 5439: "Redshift", 6379: "Redis/Valkey", 11211: "Memcached", 27017: "MongoDB/DocumentDB",
    9200: "OpenSearch/Elasticsearch", 9300: "Elasticsearch transport", 8182: "Neptune", 9042: "Cassandra/Keyspaces",
    9092: "Kafka", 9094: "Kafka TLS", 2049: "NFS/EFS",
}

# Ports administrators, orchestrators and consoles listen on: open to the world they invite
# brute force and remote code execution (data ports such as 9200, 11211, 27017 are NET007's).
ADMIN_PORTS: dict[int, str] = {
    22: "SSH", 3389: "RDP", 5985: "WinRM HTTP", 5986: "WinRM HTTPS", 23: "Telnet", 21: "FTP", 20: "FTP data",
    5900: "VNC", 445: "SMB", 135: "MS RPC", 139: "NetBIOS", 5601: "Kibana/OpenSearch Dashboards",
    2375: "Docker API", 2376: "Docker API TLS", 2379: "etcd", 2380: "etcd peer", 6443: "Kubernetes API",
    10250: "kubelet", 8500: "Consul", 9000: "Portainer/PHP-FPM/SonarQube", 4848: "GlassFish admin",
    8834: "Nessus", 7001: "WebLogic admin",
}
# Resources that accept nothing but their listeners (or nothing at all) whatever their group admits.
NO_LISTENERS = ("load_balancer", "classic_load_balancer", "lambda_function", "vpc_endpoint")


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
    return listening_ports(res)


def label(res: Resource) -> str:
    from archreview.views import kind_named
    try:
        return kind_named(res.kind).label or res.kind
    except KeyError:
        return res.kind



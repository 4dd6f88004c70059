"""ElastiCache replication groups, clusters and subnet groups."""

from __future__ import annotations

from archreview.views import B, I, Kind, L, S

KINDS = [
    Kind("cache_replication_group", cfn=("AWS::ElastiCache::ReplicationGroup",),
         tf=("aws_elasticache_replication_group",), role="data-store", label="ElastiCache", facets={
        "engine": S(("Engine",), ("engine",), default="redis"),
        "automatic_failover": B(("AutomaticFailoverEnabled",), ("automatic_failover_enabled",), default=False),
        "multi_az": B(("MultiAZEnabled",), ("multi_az_enabled",), default=False),
        "num_cache_clusters": I(("NumCacheClusters",), ("num_cache_clusters",)),
        "num_node_groups": I(("NumNodeGroups",), ("num_node_groups",)),
        "replicas_per_node_group": I(("ReplicasPerNodeGroup",), ("replicas_per_node_group",)),
        "subnet_group": S(("CacheSubnetGroupName",), ("subnet_group_name",)),
        "security_groups": L(("SecurityGroupIds",), ("security_group_ids",)),
        "at_rest_encryption": B(("AtRestEncryptionEnabled",), ("at_rest_encryption_enabled",), default=False),
        "transit_encryption": B(("TransitEncryptionEnabled",), ("transit_encryption_enabled",), default=False),
        "auth_token": S(("AuthToken",), ("auth_token",)),
        "snapshot_retention": I(("SnapshotRetentionLimit",), ("snapshot_retention_limit",), default=0),
        "port": I(("Port",), ("port",)),
        "preferred_azs": L(("PreferredCacheClusterAZs",), ("preferred_cache_cluster_azs",)),
        "node_type": S(("CacheNodeType",), ("node_type",)),
    }),
    Kind("cache_cluster", cfn=("AWS::ElastiCache::CacheCluster",), tf=("aws_elasticache_cluster",),
         role="data-store", label="ElastiCache node", facets={
        "engine": S(("Engine",), ("engine",)),
        "num_nodes": I(("NumCacheNodes",), ("num_cache_nodes",), default=1),
        "az_mode": S(("AZMode",), ("az_mode",), default="single-az"),
        "preferred_azs": L(("PreferredAvailabilityZones",), ("preferred_availability_zones",)),
        "replication_group": S(None, ("replication_group_id",)),
        "subnet_group": S(("CacheSubnetGroupName",), ("subnet_group_name",)),
        "security_groups": L(("VpcSecurityGroupIds",), ("security_group_ids",)),
        "snapshot_retention": I(("SnapshotRetentionLimit",), ("snapshot_retention_limit",), default=0),
        "port": I(("Port",), ("port",)),
        "node_type": S(("CacheNodeType",), ("node_type",)),
    }),
    Kind("cache_subnet_group", cfn=("AWS::ElastiCache::SubnetGroup",), tf=("aws_elasticache_subnet_group",),
         role="network", facets={
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "name": S(("CacheSubnetGroupName",), ("name",)),
    }),
]

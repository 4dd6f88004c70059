"""Data stores: RDS instances, clusters and subnet groups; ElastiCache; DynamoDB; EFS; OpenSearch."""

from __future__ import annotations

from typing import Any

from archreview.loaders.aws.context import Reader, policy, tags


def read_rds(ctx: Reader) -> None:
    rds = ctx.client("rds")
    for g in rds.pages("describe_db_subnet_groups", "DBSubnetGroups"):
        name = g["DBSubnetGroupName"]
        ctx.emit("AWS::RDS::DBSubnetGroup", g.get("DBSubnetGroupArn") or ctx.arn("rds", f"subgrp:{name}"), {
            "DBSubnetGroupName": name, "VpcId": g.get("VpcId"),
            "SubnetIds": [s.get("SubnetIdentifier") for s in g.get("Subnets") or []],
        }, ident=name)
    for c in rds.pages("describe_db_clusters", "DBClusters"):
        cid = c["DBClusterIdentifier"]
        ctx.emit("AWS::RDS::DBCluster", c.get("DBClusterArn") or ctx.arn("rds", f"cluster:{cid}"), {
            "DBClusterIdentifier": cid, "Engine": c.get("Engine"), "EngineMode": c.get("EngineMode"),
            "EngineVersion": c.get("EngineVersion"),
            "DBSubnetGroupName": _subnet_group(ctx, c.get("DBSubnetGroup")),
            "VpcSecurityGroupIds": [g.get("VpcSecurityGroupId") for g in c.get("VpcSecurityGroups") or []],
            "AvailabilityZones": c.get("AvailabilityZones") or [], "MultiAZ": c.get("MultiAZ"),
            "StorageEncrypted": c.get("StorageEncrypted", False), "KmsKeyId": c.get("KmsKeyId"),
            "BackupRetentionPeriod": c.get("BackupRetentionPeriod"),
            "DeletionProtection": c.get("DeletionProtection", False), "Port": c.get("Port"),
            "PubliclyAccessible": c.get("PubliclyAccessible"),
            "ManageMasterUserPassword": bool(c.get("MasterUserSecret")),
            "ServerlessV2ScalingConfiguration": c.get("ServerlessV2ScalingConfiguration"),
            "EnableCloudwatchLogsExports": c.get("EnabledCloudwatchLogsExports") or [],
            "ReplicationSourceIdentifier": c.get("ReplicationSourceIdentifier"),
            "GlobalClusterIdentifier": c.get("GlobalClusterIdentifier"),
            "PerformanceInsightsEnabled": c.get("PerformanceInsightsEnabled"),
            "MonitoringInterval": c.get("MonitoringInterval"),
        }, ident=cid)
    for db in rds.pages("describe_db_instances", "DBInstances"):
        did = db["DBInstanceIdentifier"]
        ctx.emit("AWS::RDS::DBInstance", db.get("DBInstanceArn") or ctx.arn("rds", f"db:{did}"), {
            "DBInstanceIdentifier": did, "Engine": db.get("Engine"), "EngineVersion": db.get("EngineVersion"),
            "DBInstanceClass": db.get("DBInstanceClass"), "AllocatedStorage": db.get("AllocatedStorage"),
            "Iops": db.get("Iops"),
            "StorageType": db.get("StorageType"),
            "DBClusterIdentifier": _cluster(ctx, db.get("DBClusterIdentifier")),
            "MultiAZ": db.get("MultiAZ", False), "PubliclyAccessible": db.get("PubliclyAccessible", False),
            "DBSubnetGroupName": _subnet_group(ctx, (db.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")),
            "VPCSecurityGroups": [g.get("VpcSecurityGroupId") for g in db.get("VpcSecurityGroups") or []],
            "AvailabilityZone": db.get("AvailabilityZone"),
            "StorageEncrypted": db.get("StorageEncrypted", False), "KmsKeyId": db.get("KmsKeyId"),
            "BackupRetentionPeriod": db.get("BackupRetentionPeriod"),
            "DeletionProtection": db.get("DeletionProtection", False),
            "ManageMasterUserPassword": bool(db.get("MasterUserSecret")),
            "Port": (db.get("Endpoint") or {}).get("Port") or db.get("DbInstancePort") or None,
            "SourceDBInstanceIdentifier": db.get("ReadReplicaSourceDBInstanceIdentifier"),
            "EnablePerformanceInsights": db.get("PerformanceInsightsEnabled", False),
            "MonitoringInterval": db.get("MonitoringInterval", 0),
            "EnableCloudwatchLogsExports": db.get("EnabledCloudwatchLogsExports") or [],
            "Tags": tags(db.get("TagList")),
        }, ident=did)


def _subnet_group(ctx: Reader, name: Any) -> Any:
    return ctx.arn("rds", f"subgrp:{name}") if isinstance(name, str) and name else None


def _cluster(ctx: Reader, ident: Any) -> Any:
    return ctx.arn("rds", f"cluster:{ident}") if isinstance(ident, str) and ident else None


def read_elasticache(ctx: Reader) -> None:
    ec = ctx.client("elasticache")
    for g in ec.pages("describe_cache_subnet_groups", "CacheSubnetGroups"):
        name = g["CacheSubnetGroupName"]
        ctx.emit("AWS::ElastiCache::SubnetGroup", g.get("ARN") or _cache_group(ctx, name), {
            "CacheSubnetGroupName": name, "VpcId": g.get("VpcId"),
            "SubnetIds": [s.get("SubnetIdentifier") for s in g.get("Subnets") or []],
        }, ident=name)
    clusters = {c["CacheClusterId"]: c for c in ec.pages("describe_cache_clusters", "CacheClusters")}
    for rg in ec.pages("describe_replication_groups", "ReplicationGroups"):
        rid = rg["ReplicationGroupId"]
        member: dict[str, Any] = next((clusters[m] for m in rg.get("MemberClusters") or [] if m in clusters), {})
        clustered = bool(rg.get("ClusterEnabled"))
        ctx.emit("AWS::ElastiCache::ReplicationGroup", rg.get("ARN") or ctx.arn("elasticache", f"replicationgroup:{rid}"), {
            "ReplicationGroupId": rid, "Engine": member.get("Engine") or rg.get("Engine") or "redis",
            "CacheNodeType": rg.get("CacheNodeType"),
            "AutomaticFailoverEnabled": rg.get("AutomaticFailover") in ("enabled", "enabling"),
            "MultiAZEnabled": rg.get("MultiAZ") == "enabled",
            "NumCacheClusters": None if clustered else len(rg.get("MemberClusters") or []),
            "NumNodeGroups": len(rg.get("NodeGroups") or []) if clustered else None,
            "ReplicasPerNodeGroup": max(0, len((rg.get("NodeGroups") or [{}])[0].get("NodeGroupMembers") or []) - 1)
            if clustered else None,
            "AtRestEncryptionEnabled": rg.get("AtRestEncryptionEnabled", False),
            "TransitEncryptionEnabled": rg.get("TransitEncryptionEnabled", False),
            "SnapshotRetentionLimit": rg.get("SnapshotRetentionLimit", 0),
            "CacheSubnetGroupName": _cache_group(ctx, member.get("CacheSubnetGroupName")),
            "SecurityGroupIds": [s.get("SecurityGroupId") for s in member.get("SecurityGroups") or []],
            "PreferredCacheClusterAZs": [clusters[m].get("PreferredAvailabilityZone")
                                         for m in rg.get("MemberClusters") or [] if m in clusters],
            "KmsKeyId": rg.get("KmsKeyId"),
        }, ident=rid)
    for cid, c in clusters.items():
        if c.get("ReplicationGroupId"):
            continue                    # a member: its replication group speaks for it
        ctx.emit("AWS::ElastiCache::CacheCluster", c.get("ARN") or ctx.arn("elasticache", f"cluster:{cid}"), {
            "ClusterName": cid, "Engine": c.get("Engine"), "CacheNodeType": c.get("CacheNodeType"),
            "NumCacheNodes": c.get("NumCacheNodes", 1),
            "AZMode": "cross-az" if c.get("PreferredAvailabilityZone") == "Multiple" else "single-az",
            "PreferredAvailabilityZone": c.get("PreferredAvailabilityZone"),
            "PreferredAvailabilityZones": sorted({n.get("CustomerAvailabilityZone") for n in c.get("CacheNodes") or []
                                                  if n.get("CustomerAvailabilityZone")}) or None,
            "CacheSubnetGroupName": _cache_group(ctx, c.get("CacheSubnetGroupName")),
            "VpcSecurityGroupIds": [s.get("SecurityGroupId") for s in c.get("SecurityGroups") or []],
            "SnapshotRetentionLimit": c.get("SnapshotRetentionLimit", 0),
            "Port": (c.get("ConfigurationEndpoint") or {}).get("Port"),
        }, ident=cid)


def _cache_group(ctx: Reader, name: Any) -> Any:
    return ctx.arn("elasticache", f"subnetgroup:{name}") if isinstance(name, str) and name else None


def read_dynamodb(ctx: Reader) -> None:
    ddb = ctx.client("dynamodb")
    ctx.each(lambda c, name: _table(c, ddb, name), list(ddb.pages("list_tables", "TableNames")))


def _table(ctx: Reader, ddb: Any, name: str) -> None:
    table = (ddb.call("describe_table", TableName=name) or {}).get("Table") or {}
    backups = ctx.guarded(lambda: ddb.call("describe_continuous_backups", TableName=name))
    pitr = ((backups or {}).get("ContinuousBackupsDescription") or {}).get("PointInTimeRecoveryDescription") or {} \
        if isinstance(backups, dict) else None
    sse = table.get("SSEDescription") or {}
    ctx.emit("AWS::DynamoDB::Table", table.get("TableArn") or ctx.arn("dynamodb", f"table/{name}"), {
        "TableName": name,
        "BillingMode": (table.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED"),
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": pitr.get("PointInTimeRecoveryStatus") == "ENABLED"}
        if isinstance(pitr, dict) else backups,
        "SSESpecification": {"SSEEnabled": sse.get("Status") in ("ENABLED", "ENABLING"),
                             "SSEType": sse.get("SSEType"), "KMSMasterKeyId": sse.get("KMSMasterKeyArn")} if sse else None,
        "DeletionProtectionEnabled": table.get("DeletionProtectionEnabled", False),
        "ProvisionedThroughput": {k: v for k, v in (table.get("ProvisionedThroughput") or {}).items()
                                  if k in ("ReadCapacityUnits", "WriteCapacityUnits")} or None,
        "StreamSpecification": table.get("StreamSpecification"),
        "Replicas": table.get("Replicas"),
    }, ident=name)


def read_efs(ctx: Reader) -> None:
    efs = ctx.client("efs")
    for fs in efs.pages("describe_file_systems", "FileSystems"):
        fid = fs["FileSystemId"]
        arn = fs.get("FileSystemArn") or ctx.arn("elasticfilesystem", f"file-system/{fid}")
        backup = ctx.guarded(lambda: efs.call("describe_backup_policy", FileSystemId=fid,
                                              ignore=("PolicyNotFound",)))
        status: Any = backup                  # Unknown when it could not be read
        if backup is None or isinstance(backup, dict):
            status = ((backup or {}).get("BackupPolicy") or {}).get("Status", "DISABLED")
        ctx.emit("AWS::EFS::FileSystem", arn, {
            "Encrypted": fs.get("Encrypted", False), "KmsKeyId": fs.get("KmsKeyId"),
            "AvailabilityZoneName": fs.get("AvailabilityZoneName"), "PerformanceMode": fs.get("PerformanceMode"),
            "ThroughputMode": fs.get("ThroughputMode"), "BackupPolicy": {"Status": status},
            "FileSystemTags": tags(fs.get("Tags")),
        }, ident=fid)
        for mt in ctx.guarded(lambda: list(efs.pages("describe_mount_targets", "MountTargets", FileSystemId=fid)), []):
            mid = mt["MountTargetId"]
            groups = ctx.guarded(lambda: efs.call("describe_mount_target_security_groups", MountTargetId=mid))
            ctx.emit("AWS::EFS::MountTarget", f"{arn}#mount-target/{mid}", {
                "FileSystemId": fid, "SubnetId": mt.get("SubnetId"),
                "SecurityGroups": (groups or {}).get("SecurityGroups") or [] if isinstance(groups, dict) else groups,
            }, ident=mid)


def read_opensearch(ctx: Reader) -> None:
    osc = ctx.client("opensearch")
    names = [d["DomainName"] for d in (osc.call("list_domain_names") or {}).get("DomainNames") or []]
    for i in range(0, len(names), 5):
        for d in (osc.call("describe_domains", DomainNames=names[i:i + 5]) or {}).get("DomainStatusList") or []:
            cfg = d.get("ClusterConfig") or {}
            vpc = d.get("VPCOptions") or {}
            ctx.emit("AWS::OpenSearchService::Domain", d.get("ARN") or ctx.arn("es", f"domain/{d['DomainName']}"), {
                "DomainName": d["DomainName"], "EngineVersion": d.get("EngineVersion"),
                "ClusterConfig": {k: v for k, v in cfg.items() if k in (
                    "InstanceType", "InstanceCount", "ZoneAwarenessEnabled", "MultiAZWithStandbyEnabled",
                    "DedicatedMasterEnabled", "DedicatedMasterCount", "ZoneAwarenessConfig")},
                "VPCOptions": {"SubnetIds": vpc.get("SubnetIds") or [], "SecurityGroupIds": vpc.get("SecurityGroupIds") or []}
                if vpc.get("SubnetIds") else None,
                "AccessPolicies": policy(d.get("AccessPolicies")) if d.get("AccessPolicies") else None,
                "AdvancedSecurityOptions": {"Enabled": (d.get("AdvancedSecurityOptions") or {}).get("Enabled", False)},
                "EncryptionAtRestOptions": {"Enabled": (d.get("EncryptionAtRestOptions") or {}).get("Enabled", False)},
                "NodeToNodeEncryptionOptions": {"Enabled": (d.get("NodeToNodeEncryptionOptions") or {}).get("Enabled", False)},
                "DomainEndpointOptions": d.get("DomainEndpointOptions"),
            }, ident=d["DomainName"])

"""RDS instances, Aurora clusters and their subnet groups."""

from __future__ import annotations

from archreview.views import B, I, Kind, L, S

KINDS = [
    # Aurora members are AWS::RDS::DBInstance with DBClusterIdentifier on the CFN side and
    # aws_rds_cluster_instance on the Terraform side; both are rds_instance with a `cluster`.
    Kind("rds_instance", cfn=("AWS::RDS::DBInstance",), tf=("aws_db_instance", "aws_rds_cluster_instance"),
         role="data-store", label="RDS instance", facets={
        "engine": S(("Engine",), ("engine",)),
        "cluster": S(("DBClusterIdentifier",), ("cluster_identifier",)),
        "multi_az": B(("MultiAZ",), ("multi_az",), default=False),
        "publicly_accessible": B(("PubliclyAccessible",), ("publicly_accessible",), default=False),
        "subnet_group": S(("DBSubnetGroupName",), ("db_subnet_group_name",)),
        "security_groups": L(("VPCSecurityGroups",), ("vpc_security_group_ids",)),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
        "storage_encrypted": B(("StorageEncrypted",), ("storage_encrypted",), default=False),
        "kms_key": S(("KmsKeyId",), ("kms_key_id",)),
        "backup_retention": I(("BackupRetentionPeriod",), ("backup_retention_period",), default=1),
        "deletion_protection": B(("DeletionProtection",), ("deletion_protection",), default=False),
        "password": S(("MasterUserPassword",), ("password",)),
        "manage_master_password": B(("ManageMasterUserPassword",), ("manage_master_user_password",), default=False),
        "port": I(("Port",), ("port",)),
        "read_replica_source": S(("SourceDBInstanceIdentifier",), ("replicate_source_db",)),
        "source_region": S(("SourceRegion",), None),
        "performance_insights": B(("EnablePerformanceInsights",), ("performance_insights_enabled",), default=False),
        "monitoring_interval": I(("MonitoringInterval",), ("monitoring_interval",), default=0),
        "log_exports": L(("EnableCloudwatchLogsExports",), ("enabled_cloudwatch_logs_exports",)),
        "snapshot": S(("DBSnapshotIdentifier",), ("snapshot_identifier",)),
        "skip_final_snapshot": B(None, ("skip_final_snapshot",), default=False),
        "instance_class": S(("DBInstanceClass",), ("instance_class",)),
        "engine_version": S(("EngineVersion",), ("engine_version",)),
        "storage_type": S(("StorageType",), ("storage_type",)),
        "iops": I(("Iops",), ("iops",)),
        "allocated_storage": I(("AllocatedStorage",), ("allocated_storage",)),
    }),
    Kind("rds_cluster", cfn=("AWS::RDS::DBCluster",), tf=("aws_rds_cluster",), role="data-store",
         label="Aurora cluster", facets={
        "engine": S(("Engine",), ("engine",)),
        "engine_mode": S(("EngineMode",), ("engine_mode",), default="provisioned"),
        "subnet_group": S(("DBSubnetGroupName",), ("db_subnet_group_name",)),
        "security_groups": L(("VpcSecurityGroupIds",), ("vpc_security_group_ids",)),
        "availability_zones": L(("AvailabilityZones",), ("availability_zones",)),
        "storage_encrypted": B(("StorageEncrypted",), ("storage_encrypted",), default=False),
        "kms_key": S(("KmsKeyId",), ("kms_key_id",)),
        "backup_retention": I(("BackupRetentionPeriod",), ("backup_retention_period",), default=1),
        "deletion_protection": B(("DeletionProtection",), ("deletion_protection",), default=False),
        "password": S(("MasterUserPassword",), ("master_password",)),
        "manage_master_password": B(("ManageMasterUserPassword",), ("manage_master_user_password",), default=False),
        "port": I(("Port",), ("port",)),
        "publicly_accessible": B(("PubliclyAccessible",), ("publicly_accessible",), default=False),
        "serverless_v2": S(("ServerlessV2ScalingConfiguration",), ("serverlessv2_scaling_configuration",)),
        "log_exports": L(("EnableCloudwatchLogsExports",), ("enabled_cloudwatch_logs_exports",)),
        "identifier": S(("DBClusterIdentifier",), ("cluster_identifier",)),
        "replication_source": S(("ReplicationSourceIdentifier",), ("replication_source_identifier",)),
        "source_region": S(("SourceRegion",), None),
        "snapshot": S(("SnapshotIdentifier",), ("snapshot_identifier",)),
        # a clone, point-in-time restore or cross-region replica inherits its source's encryption
        "restore_source": S(("SourceDBClusterIdentifier",), ("restore_to_point_in_time", "source_cluster_identifier")),
        "global_cluster": S(("GlobalClusterIdentifier",), ("global_cluster_identifier",)),
        "skip_final_snapshot": B(None, ("skip_final_snapshot",), default=False),
        "performance_insights": B(("PerformanceInsightsEnabled",), ("performance_insights_enabled",), default=False),
        "monitoring_interval": I(("MonitoringInterval",), ("monitoring_interval",), default=0),
    }),
    Kind("db_subnet_group", cfn=("AWS::RDS::DBSubnetGroup",), tf=("aws_db_subnet_group",), role="network",
         label="DB subnet group", facets={
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "name": S(("DBSubnetGroupName",), ("name",)),
    }),
]

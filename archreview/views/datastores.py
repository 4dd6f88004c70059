"""Managed data stores beyond RDS and ElastiCache: Redshift, OpenSearch/Elasticsearch,
DocumentDB, Neptune, EFS, MSK, DMS replication instances, DAX clusters, the Glue Data
Catalog's encryption settings, WorkSpaces desktops' volumes and Transfer Family servers,
with their subnet groups."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource, Unknown
from archreview.views import B, Facet, I, Kind, L, S, as_bool, as_int, blocks


def _cfn_search_config(res: Resource) -> dict[str, Any]:
    """OpenSearch says ClusterConfig, the legacy Elasticsearch type ElasticsearchClusterConfig."""
    cfg = res.get("ClusterConfig")
    if cfg is None:
        cfg = res.get("ElasticsearchClusterConfig")
    return cfg if isinstance(cfg, dict) else {}


def _cfn_search(key: str):
    def get(res: Resource) -> Any:
        return _cfn_search_config(res).get(key)
    return get


def _cfn_dms_public(res: Resource) -> Any:
    # CloudFormation documents `PubliclyAccessible` as true by default for DMS.
    value = res.get("PubliclyAccessible")
    return True if value is None else value


def _cfn_redshift_logging(res: Resource) -> Any:
    # LoggingProperties switches audit logging on by being there (to S3 or CloudWatch Logs).
    value = res.get("LoggingProperties")
    return value if value is None or isinstance(value, Unknown) else True


def _cfn_search_logs(res: Resource) -> Any:
    """Log types a domain publishes: LogPublishingOptions is a map from log type to its options."""
    options = res.get("LogPublishingOptions")
    if isinstance(options, Unknown) or not isinstance(options, dict):
        return options
    return [k for k, v in options.items() if not (isinstance(v, dict) and as_bool(v.get("Enabled")) is False)]


def _tf_search_logs(res: Resource) -> Any:
    options = res.props.get("log_publishing_options")
    if isinstance(options, Unknown):
        return options
    return [b.get("log_type") for b in blocks(res, "log_publishing_options") if as_bool(b.get("enabled")) is not False]


KINDS = [
    Kind("redshift_cluster", cfn=("AWS::Redshift::Cluster",), tf=("aws_redshift_cluster",), role="data-store",
         label="Redshift cluster", facets={
        "cluster_type": S(("ClusterType",), ("cluster_type",)),
        "number_of_nodes": I(("NumberOfNodes",), ("number_of_nodes",), default=1),
        "publicly_accessible": B(("PubliclyAccessible",), ("publicly_accessible",), default=False),
        "subnet_group": S(("ClusterSubnetGroupName",), ("cluster_subnet_group_name",)),
        "security_groups": L(("VpcSecurityGroupIds",), ("vpc_security_group_ids",)),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
        "multi_az": B(("MultiAZ",), ("multi_az",), default=False),
        "port": I(("Port",), ("port",), default=5439),
        "encrypted": B(("Encrypted",), ("encrypted",), default=False),
        "snapshot_retention": I(("AutomatedSnapshotRetentionPeriod",), ("automated_snapshot_retention_period",),
                                default=1),
        "name": S(("ClusterIdentifier",), ("cluster_identifier",)),
        # audit logging declared on the cluster (CloudFormation LoggingProperties, the
        # provider's legacy `logging` block); aws_redshift_logging is the separate form
        "audit_logging": Facet(_cfn_redshift_logging, ("logging", "enable"), default=False, coerce=as_bool),
    }),
    Kind("redshift_logging", tf=("aws_redshift_logging",), role="observability", facets={
        "cluster": S(None, ("cluster_identifier",)),
    }),
    Kind("redshift_subnet_group", cfn=("AWS::Redshift::ClusterSubnetGroup",), tf=("aws_redshift_subnet_group",),
         role="network", facets={
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "name": S(None, ("name",)),
    }),
    Kind("search_domain", cfn=("AWS::OpenSearchService::Domain", "AWS::Elasticsearch::Domain"),
         tf=("aws_opensearch_domain", "aws_elasticsearch_domain"), role="data-store", label="OpenSearch domain", facets={
        "zone_awareness": Facet(_cfn_search("ZoneAwarenessEnabled"), ("cluster_config", "zone_awareness_enabled"),
                                default=False, coerce=as_bool),
        "instance_count": Facet(_cfn_search("InstanceCount"), ("cluster_config", "instance_count"),
                                default=1, coerce=as_int),
        "multi_az_with_standby": Facet(_cfn_search("MultiAZWithStandbyEnabled"),
                                       ("cluster_config", "multi_az_with_standby_enabled"),
                                       default=False, coerce=as_bool),
        "subnets": L(("VPCOptions", "SubnetIds"), ("vpc_options", "subnet_ids")),
        "security_groups": L(("VPCOptions", "SecurityGroupIds"), ("vpc_options", "security_group_ids")),
        "access_policy": S(("AccessPolicies",), ("access_policies",)),
        "advanced_security": B(("AdvancedSecurityOptions", "Enabled"), ("advanced_security_options", "enabled"),
                               default=False),
        "name": S(("DomainName",), ("domain_name",)),
        "port": Facet(lambda r: 443, lambda r: 443, default=443),
        "encrypt_at_rest": B(("EncryptionAtRestOptions", "Enabled"), ("encrypt_at_rest", "enabled"), default=False),
        "node_to_node_encryption": B(("NodeToNodeEncryptionOptions", "Enabled"),
                                     ("node_to_node_encryption", "enabled"), default=False),
        # no default: the providers and the API disagree on what an omitted block means
        "log_types": Facet(_cfn_search_logs, _tf_search_logs, default=[]),
        "enforce_https": B(("DomainEndpointOptions", "EnforceHTTPS"), ("domain_endpoint_options", "enforce_https")),
        "instance_type": Facet(_cfn_search("InstanceType"), ("cluster_config", "instance_type")),
        "master_type": Facet(_cfn_search("DedicatedMasterType"), ("cluster_config", "dedicated_master_type")),
        "master_count": Facet(_cfn_search("DedicatedMasterCount"), ("cluster_config", "dedicated_master_count"),
                              coerce=as_int),
        "master_enabled": Facet(_cfn_search("DedicatedMasterEnabled"), ("cluster_config", "dedicated_master_enabled"),
                                default=False, coerce=as_bool),
    }),
    Kind("search_domain_policy", tf=("aws_opensearch_domain_policy", "aws_elasticsearch_domain_policy"),
         role="security", facets={
        "domain": S(None, ("domain_name",)),
        "document": S(None, ("access_policies",)),
    }),
    Kind("docdb_cluster", cfn=("AWS::DocDB::DBCluster",), tf=("aws_docdb_cluster",), role="data-store",
         label="DocumentDB cluster", facets={
        "subnet_group": S(("DBSubnetGroupName",), ("db_subnet_group_name",)),
        "security_groups": L(("VpcSecurityGroupIds",), ("vpc_security_group_ids",)),
        "port": I(("Port",), ("port",), default=27017),
        "availability_zones": L(("AvailabilityZones",), ("availability_zones",)),
        "storage_encrypted": B(("StorageEncrypted",), ("storage_encrypted",), default=False),
        "identifier": S(("DBClusterIdentifier",), ("cluster_identifier",)),
        "snapshot": S(("SnapshotIdentifier",), ("snapshot_identifier",)),
        "backup_retention": I(("BackupRetentionPeriod",), ("backup_retention_period",), default=1),
        "log_exports": L(("EnableCloudwatchLogsExports",), ("enabled_cloudwatch_logs_exports",)),
    }),
    Kind("docdb_instance", cfn=("AWS::DocDB::DBInstance",), tf=("aws_docdb_cluster_instance",), role="data-store",
         label="DocumentDB instance", facets={
        "cluster": S(("DBClusterIdentifier",), ("cluster_identifier",)),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
    }),
    Kind("docdb_subnet_group", cfn=("AWS::DocDB::DBSubnetGroup",), tf=("aws_docdb_subnet_group",), role="network",
         facets={
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "name": S(("DBSubnetGroupName",), ("name",)),
    }),
    Kind("neptune_cluster", cfn=("AWS::Neptune::DBCluster",), tf=("aws_neptune_cluster",), role="data-store",
         label="Neptune cluster", facets={
        "subnet_group": S(("DBSubnetGroupName",), ("neptune_subnet_group_name",)),
        "security_groups": L(("VpcSecurityGroupIds",), ("vpc_security_group_ids",)),
        "port": I(("Port",), ("port",), default=8182),
        "identifier": S(("DBClusterIdentifier",), ("cluster_identifier",)),
        "storage_encrypted": B(("StorageEncrypted",), ("storage_encrypted",), default=False),
        "backup_retention": I(("BackupRetentionPeriod",), ("backup_retention_period",), default=1),
        "log_exports": L(("EnableCloudwatchLogsExports",), ("enable_cloudwatch_logs_exports",)),
        "snapshot": S(("SnapshotIdentifier",), ("snapshot_identifier",)),
    }),
    Kind("neptune_instance", cfn=("AWS::Neptune::DBInstance",), tf=("aws_neptune_cluster_instance",),
         role="data-store", label="Neptune instance", facets={
        "publicly_accessible": B(("PubliclyAccessible",), ("publicly_accessible",), default=False),
        "cluster": S(("DBClusterIdentifier",), ("cluster_identifier",)),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
    }),
    Kind("neptune_subnet_group", cfn=("AWS::Neptune::DBSubnetGroup",), tf=("aws_neptune_subnet_group",),
         role="network", facets={
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "name": S(("DBSubnetGroupName",), ("name",)),
    }),
    Kind("efs_file_system", cfn=("AWS::EFS::FileSystem",), tf=("aws_efs_file_system",), role="data-store",
         label="EFS file system", facets={
        "one_zone_az": S(("AvailabilityZoneName",), ("availability_zone_name",)),
        "encrypted": B(("Encrypted",), ("encrypted",), default=False),
        "kms_key": S(("KmsKeyId",), ("kms_key_id",)),
        "backup_policy": S(("BackupPolicy", "Status"), None),
    }),
    Kind("efs_mount_target", cfn=("AWS::EFS::MountTarget",), tf=("aws_efs_mount_target",), role="network",
         label="EFS mount target", facets={
        "file_system": S(("FileSystemId",), ("file_system_id",)),
        "subnet": S(("SubnetId",), ("subnet_id",)),
        "security_groups": L(("SecurityGroups",), ("security_groups",)),
        "port": Facet(lambda r: 2049, lambda r: 2049, default=2049),
    }),
    Kind("msk_cluster", cfn=("AWS::MSK::Cluster",), tf=("aws_msk_cluster",), role="data-store", label="MSK cluster",
         facets={
        "subnets": L(("BrokerNodeGroupInfo", "ClientSubnets"), ("broker_node_group_info", "client_subnets")),
        "security_groups": L(("BrokerNodeGroupInfo", "SecurityGroups"), ("broker_node_group_info", "security_groups")),
        "number_of_brokers": I(("NumberOfBrokerNodes",), ("number_of_broker_nodes",)),
        "public_access": S(("BrokerNodeGroupInfo", "ConnectivityInfo", "PublicAccess", "Type"),
                           ("broker_node_group_info", "connectivity_info", "public_access", "type"), default="DISABLED"),
    }),
    Kind("dms_replication_instance", cfn=("AWS::DMS::ReplicationInstance",), tf=("aws_dms_replication_instance",),
         role="data-store", label="DMS replication instance", facets={
        "publicly_accessible": Facet(_cfn_dms_public, ("publicly_accessible",), default=False,
                                     coerce=as_bool),
        "subnet_group": S(("ReplicationSubnetGroupIdentifier",), ("replication_subnet_group_id",)),
        "security_groups": L(("VpcSecurityGroupIds",), ("vpc_security_group_ids",)),
        "multi_az": B(("MultiAZ",), ("multi_az",), default=False),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
    }),
    Kind("mq_broker", cfn=("AWS::AmazonMQ::Broker",), tf=("aws_mq_broker",), role="data-store",
         label="Amazon MQ broker", facets={
        "publicly_accessible": B(("PubliclyAccessible",), ("publicly_accessible",), default=False),
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "security_groups": L(("SecurityGroups",), ("security_groups",)),
        "engine": S(("EngineType",), ("engine_type",)),
        "deployment_mode": S(("DeploymentMode",), ("deployment_mode",), default="SINGLE_INSTANCE"),
        "name": S(("BrokerName",), ("broker_name",)),
    }),
    Kind("dax_cluster", cfn=("AWS::DAX::Cluster",), tf=("aws_dax_cluster",), role="data-store",
         label="DAX cluster", facets={
        # off unless asked for at creation (and it cannot be changed afterwards)
        "encrypted": B(("SSESpecification", "SSEEnabled"), ("server_side_encryption", "enabled"), default=False),
        "name": S(("ClusterName",), ("cluster_name",)),
        "subnet_group": S(("SubnetGroupName",), ("subnet_group_name",)),
        "security_groups": L(("SecurityGroupIds",), ("security_group_ids",)),
        "replication_factor": I(("ReplicationFactor",), ("replication_factor",)),
    }),
    Kind("glue_catalog_encryption", cfn=("AWS::Glue::DataCatalogEncryptionSettings",),
         tf=("aws_glue_data_catalog_encryption_settings",), role="security", label="Glue Data Catalog settings",
         facets={
        # DISABLED | SSE-KMS | SSE-KMS-WITH-SERVICE-ROLE; the catalog is not encrypted unless set
        "catalog_encryption_mode": S(("DataCatalogEncryptionSettings", "EncryptionAtRest", "CatalogEncryptionMode"),
                                     ("data_catalog_encryption_settings", "encryption_at_rest",
                                      "catalog_encryption_mode"), default="DISABLED"),
        "connection_password_encrypted": B(
            ("DataCatalogEncryptionSettings", "ConnectionPasswordEncryption", "ReturnConnectionPasswordEncrypted"),
            ("data_catalog_encryption_settings", "connection_password_encryption",
             "return_connection_password_encrypted"), default=False),
    }),
    Kind("workspace", cfn=("AWS::WorkSpaces::Workspace",), tf=("aws_workspaces_workspace",), role="compute",
         label="WorkSpaces desktop", facets={
        # both volumes are unencrypted unless asked for at creation
        "root_volume_encrypted": B(("RootVolumeEncryptionEnabled",), ("root_volume_encryption_enabled",),
                                   default=False),
        "user_volume_encrypted": B(("UserVolumeEncryptionEnabled",), ("user_volume_encryption_enabled",),
                                   default=False),
        "user_name": S(("UserName",), ("user_name",)),
    }),
    Kind("transfer_server", cfn=("AWS::Transfer::Server",), tf=("aws_transfer_server",), role="edge",
         label="Transfer Family server", facets={
        # PUBLIC is the default on both sides; VPC (internal or internet-facing with Elastic IPs)
        # puts the endpoint behind security groups
        "endpoint_type": S(("EndpointType",), ("endpoint_type",), default="PUBLIC"),
        "protocols": L(("Protocols",), ("protocols",)),
        "identity_provider": S(("IdentityProviderType",), ("identity_provider_type",), default="SERVICE_MANAGED"),
    }),
    Kind("dms_subnet_group", cfn=("AWS::DMS::ReplicationSubnetGroup",), tf=("aws_dms_replication_subnet_group",),
         role="network", facets={
        "subnets": L(("SubnetIds",), ("subnet_ids",)),
        "name": S(("ReplicationSubnetGroupIdentifier",), ("replication_subnet_group_id",)),
    }),
]

# Kinds of subnet groups that `graph.subnets_of` may follow from a data store.
SUBNET_GROUP_KINDS = ("redshift_subnet_group", "docdb_subnet_group", "neptune_subnet_group", "dms_subnet_group")

# The port a store listens on when it does not say: by engine, else by kind.
ENGINE_PORTS = (
    ("aurora-postgresql", 5432), ("postgres", 5432), ("aurora-mysql", 3306), ("aurora", 3306),
    ("mysql", 3306), ("mariadb", 3306), ("oracle", 1521), ("sqlserver", 1433), ("db2", 50000),
    ("redis", 6379), ("valkey", 6379), ("memcached", 11211), ("activemq", 61617), ("rabbitmq", 5671),
)
KIND_PORTS = {"redshift_cluster": (5439,), "search_domain": (443, 9200), "docdb_cluster": (27017,),
              "neptune_cluster": (8182,), "neptune_instance": (8182,), "efs_mount_target": (2049,),
              "msk_cluster": (9092, 9094, 9096, 9098, 2181), "cache_replication_group": (6379,),
              "mq_broker": (61617, 5671)}


def listening_ports(res: Resource) -> tuple[int, ...]:
    """The port a store listens on: its `port` facet, else its engine's default, else its kind's."""
    from archreview.views import facet, has_facet
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

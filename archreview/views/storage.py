"""DynamoDB tables, EBS volumes, CloudWatch logs and alarms, CloudTrail, AWS Backup, API Gateway stages.

The services the encryption, observability and backup-dr checks read that no other view
declares. A native type may be mapped by one Kind only (registration fails otherwise).
"""

from __future__ import annotations

from typing import Any

from archreview.model import Resource, Unknown
from archreview.views import B, Facet, I, Kind, L, S, as_bool, as_list, blocks, facet, is_tf


# ---- DynamoDB ------------------------------------------------------------------------------

def _cfn_table_pitr(res: Resource) -> Any:
    """Table: PointInTimeRecoverySpecification; GlobalTable: every replica must have it."""
    if res.type == "AWS::DynamoDB::GlobalTable":
        replicas = as_list(res.get("Replicas"))
        if not replicas or any(isinstance(r, Unknown) for r in replicas):
            return Unknown("replicas not known") if replicas else None
        values = [as_bool((r.get("PointInTimeRecoverySpecification") or {}).get("PointInTimeRecoveryEnabled"))
                  if isinstance(r, dict) else Unknown() for r in replicas]
        if any(v is False or v is None for v in values):
            return False
        return True if all(v is True for v in values) else Unknown("a replica's PITR is not known")
    return res.get("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")


def _cfn_table_deletion_protection(res: Resource) -> Any:
    if res.type == "AWS::DynamoDB::GlobalTable":
        values = [as_bool(r.get("DeletionProtectionEnabled")) for r in as_list(res.get("Replicas")) if isinstance(r, dict)]
        if not values or any(v in (None, False) for v in values):
            return False
        return True if all(v is True for v in values) else Unknown()
    return res.get("DeletionProtectionEnabled")


# ---- CloudWatch alarms ---------------------------------------------------------------------

def _dims(value: Any) -> dict[str, Any]:
    """CFN [{Name, Value}] or TF {name = value} dimensions, as one mapping."""
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    out: dict[str, Any] = {}
    for d in as_list(value):
        if isinstance(d, dict) and isinstance(d.get("Name"), str):
            out[d["Name"]] = d.get("Value")
    return out


def _cfn_alarm_metrics(res: Resource) -> list[dict[str, Any]]:
    """[{namespace, metric, dimensions}] for a plain alarm and for metric-math alarms."""
    out = []
    if res.get("MetricName") is not None:
        out.append({"namespace": res.get("Namespace"), "metric": res.get("MetricName"),
                    "dimensions": _dims(res.get("Dimensions"))})
    for q in as_list(res.get("Metrics")):
        stat = q.get("MetricStat") if isinstance(q, dict) else None
        metric = stat.get("Metric") if isinstance(stat, dict) else None
        if isinstance(metric, dict):
            out.append({"namespace": metric.get("Namespace"), "metric": metric.get("MetricName"),
                        "dimensions": _dims(metric.get("Dimensions"))})
    return out


def _tf_alarm_metrics(res: Resource) -> list[dict[str, Any]]:
    out = []
    p = res.props
    if p.get("metric_name") is not None:
        out.append({"namespace": p.get("namespace"), "metric": p.get("metric_name"),
                    "dimensions": _dims(p.get("dimensions"))})
    for q in blocks(res, "metric_query"):
        for m in (q.get("metric") or []) if isinstance(q.get("metric"), list) else [q.get("metric")]:
            if isinstance(m, dict):
                out.append({"namespace": m.get("namespace"), "metric": m.get("metric_name"),
                            "dimensions": _dims(m.get("dimensions"))})
    return out


# ---- AWS Backup ----------------------------------------------------------------------------

def _cfn_backup_rules(res: Resource) -> list[dict[str, Any]]:
    plan = res.get("BackupPlan")
    out = []
    for r in as_list(plan.get("BackupPlanRule") if isinstance(plan, dict) else None):
        if isinstance(r, dict):
            life = lc if isinstance(lc := r.get("Lifecycle"), dict) else {}
            out.append({"name": r.get("RuleName"), "schedule": r.get("ScheduleExpression"),
                        "delete_after_days": life.get("DeleteAfterDays")})
    return out


def _tf_backup_rules(res: Resource) -> list[dict[str, Any]]:
    out = []
    for r in blocks(res, "rule"):
        life = (r.get("lifecycle") or [{}]) if isinstance(r.get("lifecycle"), list) else [r.get("lifecycle") or {}]
        life0 = life[0] if life and isinstance(life[0], dict) else {}
        out.append({"name": r.get("rule_name"), "schedule": r.get("schedule"),
                    "delete_after_days": life0.get("delete_after")})
    return out


def _cfn_selection(key: str):
    def get(res: Resource) -> Any:
        sel = res.get("BackupSelection")
        return sel.get(key) if isinstance(sel, dict) else None
    return get


def _tf_selection_tags(res: Resource) -> list[Any]:
    tags = blocks(res, "selection_tag")
    for c in blocks(res, "condition"):
        tags.extend(c.values())
    return tags


# ---- API Gateway stages --------------------------------------------------------------------

def _log_level(settings: Any) -> Any:
    """The execution-log level of the `/*/*` entry of a `MethodSettings` list (None: off)."""
    for m in as_list(settings):
        if isinstance(m, dict) and m.get("ResourcePath", "/*") in ("/*", "*") and m.get("HttpMethod", "*") == "*":
            return m.get("LoggingLevel")
    return None


def _cfn_stage_log_level(res: Resource) -> Any:
    return _log_level(res.get("MethodSettings"))


def _cfn_deployment_log_level(res: Resource) -> Any:
    """A deployment's stage: `StageDescription.LoggingLevel` covers every method, unless
    its `MethodSettings` set the `/*/*` entry."""
    described = res.get("StageDescription")
    if not isinstance(described, dict):
        return None
    level = _log_level(described.get("MethodSettings"))
    return described.get("LoggingLevel") if level is None else level


def rest_stages(scope: Any) -> list[Resource]:
    """Every REST API stage in `scope` (a check's Context or the graph): the `api_stage`
    resources, and the deployments that create their stage themselves (`StageName` on
    `AWS::ApiGateway::Deployment`, `stage_name` on `aws_api_gateway_deployment`), which
    CloudFormation and Terraform turn into a stage with the settings of its
    `StageDescription`, or with none (an empty name creates none). A deployment that a
    stage resource deploys is left out: that is SAM's generated deployment, whose
    throwaway stage "Stage" nobody calls."""
    graph = getattr(scope, "graph", scope)
    stages = list(scope.resources("api_stage"))
    deployed = {id(graph.resolve(s, facet(s, "deployment"))) for s in stages}
    return stages + [d for d in scope.resources("api_deployment")
                     if facet(d, "name") not in (None, "") and id(d) not in deployed]


def _is_lock_table(res: Resource) -> bool:
    """A Terraform state-lock table: one string hash key named `LockID` and nothing else
    (it holds leases, not business data)."""
    if is_tf(res):
        key, attrs = res.props.get("hash_key"), res.props.get("attribute")
        names = [a.get("name") for a in as_list(attrs) if isinstance(a, dict)]
        return key == "LockID" and res.props.get("range_key") is None and names in ([], ["LockID"])
    schema = [k for k in as_list(res.get("KeySchema")) if isinstance(k, dict)]
    names = [a.get("AttributeName") for a in as_list(res.get("AttributeDefinitions")) if isinstance(a, dict)]
    return [k.get("AttributeName") for k in schema] == ["LockID"] and names == ["LockID"]


KINDS = [
    Kind("dynamodb_table", cfn=("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"), tf=("aws_dynamodb_table",),
         role="data-store", label="DynamoDB table", facets={
        "name": S(("TableName",), ("name",)),
        "pitr": Facet(_cfn_table_pitr, ("point_in_time_recovery", "enabled"), default=False, coerce=as_bool),
        "deletion_protection": Facet(_cfn_table_deletion_protection, ("deletion_protection_enabled",),
                                     default=False, coerce=as_bool),
        "kms_key": S(("SSESpecification", "KMSMasterKeyId"), ("server_side_encryption", "kms_key_arn")),
        "billing_mode": S(("BillingMode",), ("billing_mode",), default="PROVISIONED"),
        "read_capacity": I(("ProvisionedThroughput", "ReadCapacityUnits"), ("read_capacity",)),
        "write_capacity": I(("ProvisionedThroughput", "WriteCapacityUnits"), ("write_capacity",)),
        "terraform_lock": Facet(_is_lock_table, _is_lock_table, default=False),
    }),
    Kind("ebs_volume", cfn=("AWS::EC2::Volume",), tf=("aws_ebs_volume",), role="data-store", label="EBS volume",
         facets={
        "encrypted": B(("Encrypted",), ("encrypted",), default=False),
        "kms_key": S(("KmsKeyId",), ("kms_key_id",)),
        "snapshot": S(("SnapshotId",), ("snapshot_id",)),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
        "volume_type": S(("VolumeType",), ("type",), default="gp2"),
        "size": I(("Size",), ("size",)),
        "iops": I(("Iops",), ("iops",)),
    }),
    # Account-wide default EBS encryption (Terraform only: CloudFormation has no such resource).
    Kind("ebs_encryption_default", tf=("aws_ebs_encryption_by_default",), role="security", facets={
        "enabled": B(None, ("enabled",), default=True),
    }),
    Kind("efs_backup_policy", tf=("aws_efs_backup_policy",), role="security", facets={
        "file_system": S(None, ("file_system_id",)),
        "status": S(None, ("backup_policy", "status")),
    }),
    Kind("log_group", cfn=("AWS::Logs::LogGroup",), tf=("aws_cloudwatch_log_group",), role="observability",
         label="Log group", facets={
        "name": S(("LogGroupName",), ("name",)),
        "kms_key": S(("KmsKeyId",), ("kms_key_id",)),
        "retention_days": I(("RetentionInDays",), ("retention_in_days",)),
    }),
    # CloudWatch Logs vended-log sources (CloudFront standard logging v2, among others)
    Kind("log_delivery_source", cfn=("AWS::Logs::DeliverySource",), tf=("aws_cloudwatch_log_delivery_source",),
         role="observability", facets={
        "resource": S(("ResourceArn",), ("resource_arn",)),
        "log_type": S(("LogType",), ("log_type",)),
    }),
    Kind("metric_alarm", cfn=("AWS::CloudWatch::Alarm",), tf=("aws_cloudwatch_metric_alarm",), role="observability",
         label="Alarm", facets={
        "metrics": Facet(_cfn_alarm_metrics, _tf_alarm_metrics, default=[]),
        "actions": L(("AlarmActions",), ("alarm_actions",)),
    }),
    Kind("composite_alarm", cfn=("AWS::CloudWatch::CompositeAlarm",), tf=("aws_cloudwatch_composite_alarm",),
         role="observability", label="Composite alarm", facets={
        "actions": L(("AlarmActions",), ("alarm_actions",)),
    }),
    Kind("cloudtrail", cfn=("AWS::CloudTrail::Trail",), tf=("aws_cloudtrail",), role="observability",
         label="CloudTrail trail", facets={
        "multi_region": B(("IsMultiRegionTrail",), ("is_multi_region_trail",), default=False),
        "log_validation": B(("EnableLogFileValidation",), ("enable_log_file_validation",), default=False),
        "logging": B(("IsLogging",), ("enable_logging",), default=True),
        "kms_key": S(("KMSKeyId",), ("kms_key_id",)),
        "bucket": S(("S3BucketName",), ("s3_bucket_name",)),
        "organization": B(("IsOrganizationTrail",), ("is_organization_trail",), default=False),
    }),
    Kind("backup_plan", cfn=("AWS::Backup::BackupPlan",), tf=("aws_backup_plan",), role="security",
         label="Backup plan", facets={
        "rules": Facet(_cfn_backup_rules, _tf_backup_rules, default=[]),
    }),
    Kind("backup_selection", cfn=("AWS::Backup::BackupSelection",), tf=("aws_backup_selection",), role="security",
         label="Backup selection", facets={
        "plan": S(("BackupPlanId",), ("plan_id",)),
        "resources": Facet(_cfn_selection("Resources"), ("resources",), default=[], coerce=as_list),
        "tags": Facet(lambda r: as_list(_cfn_selection("ListOfTags")(r)) + as_list(_cfn_selection("Conditions")(r)),
                      _tf_selection_tags, default=[]),
    }),
    Kind("api_stage", cfn=("AWS::ApiGateway::Stage",), tf=("aws_api_gateway_stage",), role="edge",
         label="API Gateway stage", facets={
        "tracing": B(("TracingEnabled",), ("xray_tracing_enabled",), default=False),
        "access_log_destination": S(("AccessLogSetting", "DestinationArn"), ("access_log_settings", "destination_arn")),
        "execution_log_level": Facet(_cfn_stage_log_level, None),
        "name": S(("StageName",), ("stage_name",)),
        "rest_api": S(("RestApiId",), ("rest_api_id",)),
        "deployment": S(("DeploymentId",), ("deployment_id",)),
    }),
    # a deployment that names a stage creates it (the facets are the stage's, as above)
    Kind("api_deployment", cfn=("AWS::ApiGateway::Deployment",), tf=("aws_api_gateway_deployment",), role="edge",
         label="API Gateway deployment stage", facets={
        "tracing": B(("StageDescription", "TracingEnabled"), None, default=False),
        "access_log_destination": S(("StageDescription", "AccessLogSetting", "DestinationArn"), None),
        "execution_log_level": Facet(_cfn_deployment_log_level, None),
        "name": S(("StageName",), ("stage_name",)),
        "rest_api": S(("RestApiId",), ("rest_api_id",)),
    }),
    Kind("api_method_settings", tf=("aws_api_gateway_method_settings",), role="observability", facets={
        "rest_api": S(None, ("rest_api_id",)),
        "stage": S(None, ("stage_name",)),
        "method_path": S(None, ("method_path",)),
        "log_level": S(None, ("settings", "logging_level")),
    }),
    Kind("api_v2_stage", cfn=("AWS::ApiGatewayV2::Stage",), tf=("aws_apigatewayv2_stage",), role="edge",
         label="HTTP API stage", facets={
        "access_log_destination": S(("AccessLogSettings", "DestinationArn"), ("access_log_settings", "destination_arn")),
        "name": S(("StageName",), ("name",)),
    }),
]

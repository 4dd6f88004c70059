"""CloudTrail trails, CloudWatch log groups and metric alarms."""

from __future__ import annotations

from archreview.loaders.aws.context import Reader


def read_cloudtrail(ctx: Reader) -> None:
    ct = ctx.client("cloudtrail")
    for trail in (ct.call("describe_trails", includeShadowTrails=False) or {}).get("trailList") or []:
        arn = trail.get("TrailARN") or ctx.arn("cloudtrail", f"trail/{trail['Name']}")
        status = ctx.guarded(lambda: ct.call("get_trail_status", Name=arn))
        ctx.emit("AWS::CloudTrail::Trail", arn, {
            "TrailName": trail.get("Name"), "IsMultiRegionTrail": trail.get("IsMultiRegionTrail", False),
            "EnableLogFileValidation": trail.get("LogFileValidationEnabled", False),
            "IsLogging": status.get("IsLogging", False) if isinstance(status, dict) else status,
            "KMSKeyId": trail.get("KmsKeyId"), "S3BucketName": trail.get("S3BucketName"),
            "IsOrganizationTrail": trail.get("IsOrganizationTrail", False),
            "IncludeGlobalServiceEvents": trail.get("IncludeGlobalServiceEvents"),
            "CloudWatchLogsLogGroupArn": trail.get("CloudWatchLogsLogGroupArn"),
        }, ident=trail.get("Name", ""), region=trail.get("HomeRegion") or None)


def read_logs(ctx: Reader) -> None:
    logs = ctx.client("logs")
    for group in logs.pages("describe_log_groups", "logGroups"):
        name = group["logGroupName"]
        arn = (group.get("arn") or ctx.arn("logs", f"log-group:{name}")).removesuffix(":*")
        ctx.emit("AWS::Logs::LogGroup", arn, {
            "LogGroupName": name, "KmsKeyId": group.get("kmsKeyId"), "RetentionInDays": group.get("retentionInDays"),
        }, ident=name)


def read_alarms(ctx: Reader) -> None:
    cw = ctx.client("cloudwatch")
    for alarm in cw.pages("describe_alarms", "MetricAlarms", AlarmTypes=["MetricAlarm"]):
        ctx.emit("AWS::CloudWatch::Alarm", alarm.get("AlarmArn") or ctx.arn("cloudwatch", f"alarm:{alarm['AlarmName']}"), {
            "AlarmName": alarm["AlarmName"], "Namespace": alarm.get("Namespace"), "MetricName": alarm.get("MetricName"),
            "Dimensions": [{"Name": d.get("Name"), "Value": d.get("Value")} for d in alarm.get("Dimensions") or []],
            "Metrics": alarm.get("Metrics"), "Statistic": alarm.get("Statistic"),
            "ComparisonOperator": alarm.get("ComparisonOperator"), "Threshold": alarm.get("Threshold"),
            "AlarmActions": alarm.get("AlarmActions") or [],
        }, ident=alarm["AlarmName"])

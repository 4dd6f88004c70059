"""What a resource looks like on the diagram: category, colour, icon text, and whether it is drawn.

The canonical kinds (`views`) say what most resources are (`Kind.role`, `Kind.label`); this
table covers the rest by native type, so a template full of services no view knows yet
still draws sensibly. Nothing here reads properties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from archreview import views

# category -> (colour, regional group title). Colours follow the AWS architecture-icon palette.
CATEGORIES: dict[str, tuple[str, str]] = {
    "edge": ("#8C4FFF", "Edge & API"),
    "compute": ("#ED7100", "Compute"),
    "database": ("#C925D1", "Data stores"),
    "storage": ("#7AA116", "Data stores"),
    "integration": ("#E7157B", "Messaging & events"),
    "security": ("#DD344C", "Identity & keys"),
    "network": ("#8C4FFF", "Networking"),
    "observability": ("#B0084D", "Monitoring"),
    "analytics": ("#01A88D", "Analytics"),
    "other": ("#7D8998", "Other"),
}
GROUP_ORDER = ("Edge & API", "Compute", "Data stores", "Messaging & events", "Identity & keys",
               "Monitoring", "Analytics", "Networking", "Other")

ROLE_CATEGORY = {
    "data-store": "database", "compute": "compute", "network": "network", "iam": "security",
    "security": "security", "observability": "observability", "messaging": "integration",
    "regional": "other", "edge": "edge", "other": "other",
}

# canonical kind -> short icon text
KIND_ICON = {
    "vpc": "VPC", "subnet": "SN", "internet_gateway": "IGW", "egress_only_gateway": "EIGW",
    "nat_gateway": "NAT", "vpc_endpoint": "VPCE", "security_group": "SG", "flow_log": "FLOW",
    "rds_instance": "RDS", "rds_cluster": "AUR", "cache_replication_group": "EC", "cache_cluster": "EC",
    "s3_bucket": "S3", "iam_role": "IAM", "iam_user": "USR", "iam_group": "GRP", "iam_policy": "POL",
    "iam_access_key": "KEY", "lambda_function": "λ", "ec2_instance": "EC2", "autoscaling_group": "ASG",
    "ecs_cluster": "ECS", "ecs_service": "ECS", "ecs_task_definition": "TASK", "eks_cluster": "EKS",
    "eks_node_group": "EKS", "load_balancer": "ELB", "classic_load_balancer": "CLB", "eip": "EIP",
}

# native service -> (category, icon, friendly label); keys are CFN service names lower-cased
# and Terraform type prefixes (longest prefix wins).
_SERVICES: dict[str, tuple[str, str, str]] = {
    "cloudfront": ("edge", "CF", "CloudFront"),
    "apigateway": ("edge", "API", "API Gateway"), "apigatewayv2": ("edge", "API", "API Gateway"),
    "api_gateway": ("edge", "API", "API Gateway"),
    "route53": ("edge", "R53", "Route 53"), "wafv2": ("edge", "WAF", "WAF"), "waf": ("edge", "WAF", "WAF"),
    "globalaccelerator": ("edge", "GA", "Global Accelerator"), "appsync": ("edge", "GQL", "AppSync"),
    "cognito": ("security", "COG", "Cognito"),
    "lambda": ("compute", "λ", "Lambda"), "serverless": ("compute", "λ", "SAM"),
    "stepfunctions": ("integration", "SFN", "Step Functions"), "sfn": ("integration", "SFN", "Step Functions"),
    "ec2": ("compute", "EC2", "EC2"), "instance": ("compute", "EC2", "EC2 instance"),
    "autoscaling": ("compute", "ASG", "Auto Scaling"), "ecs": ("compute", "ECS", "ECS"),
    "eks": ("compute", "EKS", "EKS"), "ecr": ("compute", "ECR", "ECR"), "batch": ("compute", "BAT", "Batch"),
    "apprunner": ("compute", "AR", "App Runner"), "elasticbeanstalk": ("compute", "EB", "Beanstalk"),
    "rds": ("database", "RDS", "RDS"), "db": ("database", "RDS", "RDS"),
    "dynamodb": ("database", "DDB", "DynamoDB"), "elasticache": ("database", "EC", "ElastiCache"),
    "docdb": ("database", "DOC", "DocumentDB"), "neptune": ("database", "NEP", "Neptune"),
    "redshift": ("analytics", "RS", "Redshift"), "opensearchservice": ("analytics", "OS", "OpenSearch"),
    "opensearch": ("analytics", "OS", "OpenSearch"), "elasticsearch": ("analytics", "ES", "Elasticsearch"),
    "memorydb": ("database", "MEM", "MemoryDB"), "dax": ("database", "DAX", "DAX"),
    "s3": ("storage", "S3", "S3"), "efs": ("storage", "EFS", "EFS"), "fsx": ("storage", "FSX", "FSx"),
    "backup": ("storage", "BAK", "Backup"), "glacier": ("storage", "GLA", "Glacier"),
    "sqs": ("integration", "SQS", "SQS"), "sns": ("integration", "SNS", "SNS"),
    "events": ("integration", "EVB", "EventBridge"), "cloudwatch_event": ("integration", "EVB", "EventBridge"),
    "scheduler": ("integration", "SCH", "Scheduler"), "pipes": ("integration", "PIPE", "Pipes"),
    "kinesis": ("analytics", "KIN", "Kinesis"), "kinesisfirehose": ("analytics", "FH", "Firehose"),
    "msk": ("analytics", "MSK", "MSK"), "amazonmq": ("integration", "MQ", "Amazon MQ"), "mq": ("integration", "MQ", "Amazon MQ"),
    "glue": ("analytics", "GLU", "Glue"), "athena": ("analytics", "ATH", "Athena"), "emr": ("analytics", "EMR", "EMR"),
    "dms": ("integration", "DMS", "DMS"),
    "iam": ("security", "IAM", "IAM"), "kms": ("security", "KMS", "KMS"),
    "secretsmanager": ("security", "SEC", "Secrets Manager"), "ssm": ("security", "SSM", "SSM"),
    "certificatemanager": ("security", "ACM", "ACM"), "acm": ("security", "ACM", "ACM"),
    "guardduty": ("security", "GD", "GuardDuty"), "securityhub": ("security", "SH", "Security Hub"),
    "logs": ("observability", "LOG", "CloudWatch Logs"), "cloudwatch_log": ("observability", "LOG", "CloudWatch Logs"),
    "cloudwatch": ("observability", "CW", "CloudWatch"), "cloudtrail": ("observability", "CT", "CloudTrail"),
    "config": ("observability", "CFG", "Config"), "xray": ("observability", "XR", "X-Ray"),
    "elasticloadbalancingv2": ("network", "ELB", "Load balancer"), "elasticloadbalancing": ("network", "CLB", "Classic ELB"),
    "lb": ("network", "ELB", "Load balancer"), "alb": ("network", "ELB", "Load balancer"), "elb": ("network", "CLB", "Classic ELB"),
    "vpc": ("network", "VPC", "VPC"), "subnet": ("network", "SN", "Subnet"),
    "nat_gateway": ("network", "NAT", "NAT gateway"), "internet_gateway": ("network", "IGW", "Internet gateway"),
    "eip": ("network", "EIP", "Elastic IP"), "ec2_transit_gateway": ("network", "TGW", "Transit gateway"),
    "vpn_gateway": ("network", "VGW", "VPN gateway"), "directoryservice": ("security", "AD", "Directory"),
    "codebuild": ("other", "CB", "CodeBuild"), "codepipeline": ("other", "CP", "CodePipeline"),
}

# native types that sit on a VPC's edge rather than in a subnet
VPC_EDGE_TYPES = re.compile(r"(?i)(internet_?gateway|egress_?only|vpn_?gateway|transit_?gateway_?(vpc_)?attachment|"
                            r"customer_?gateway|virtualprivategateway)$")

# Satellite resources are drawn as part of the resource they configure (a bucket's policy,
# a load balancer's listener, a security group...) rather than as boxes of their own.
SATELLITE_KINDS = frozenset({
    "route_table", "route", "route_table_association", "gateway_attachment", "eip", "security_group",
    "sg_ingress_rule", "sg_egress_rule", "db_subnet_group", "cache_subnet_group", "lb_listener",
    "lb_target_group", "launch_template", "launch_configuration", "iam_policy", "iam_policy_attachment",
    "iam_instance_profile", "iam_access_key", "lambda_permission", "lambda_event_source",
    "s3_public_access_block", "s3_bucket_policy", "s3_bucket_acl", "s3_bucket_versioning",
    "s3_bucket_encryption", "s3_bucket_logging", "s3_bucket_website", "s3_bucket_replication",
    "vpc_endpoint_route_table_association", "flow_log", "ecs_task_definition",
})
# satellites whose host is the resource *using* them (in-references), not the one they name
USED_BY_KINDS = frozenset({"security_group", "db_subnet_group", "cache_subnet_group", "launch_template",
                           "launch_configuration", "lb_target_group", "iam_instance_profile", "ecs_task_definition"})
_SATELLITE_SUFFIX = re.compile(
    r"(policy|permission|attachment|association|listener|listenerrule|listenercertificate|targetgroup|subnetgroup|"
    r"parametergroup|optiongroup|version|alias|deployment|stage|route|routetable|ingress|egress|ingressrule|"
    r"egressrule|launchtemplate|launchconfiguration|instanceprofile|eventsourcemapping|subscription|eip|"
    r"scalingpolicy|scheduledaction|lifecyclehook|authorizer|method|resource|integration|model|requestvalidator|"
    r"usageplan|usageplankey|apikey|basepathmapping|notification|configuration|publicaccessblock|ownershipcontrols|"
    r"logging|versioning|acl|account|recordset|record|waitcondition|waitconditionhandle|rotationschedule|"
    r"logstream|metricfilter|subscriptionfilter|eventinvokeconfig|secrettargetattachment|accesskey|"
    r"userpoolclient|userpooldomain|origin(access)?(identity|control)|responseheaderspolicy|cachepolicy|"
    r"webaclassociation|scalabletarget|capacityproviderassociations|dbclusterparametergroup|securitygroup)$")
_NOISE = re.compile(r"(?i)^(AWS::CloudFormation::|Custom::|AWS::CDK::|null_|random_|time_|terraform_|local_|tls_|archive_)")
USED_BY_SUFFIX = re.compile(r"(subnetgroup|parametergroup|optiongroup|launchtemplate|launchconfiguration|targetgroup|"
                            r"instanceprofile|securitygroup|taskdefinition)$")


@dataclass(frozen=True, slots=True)
class Look:
    category: str
    icon: str
    label: str          # friendly type label ("RDS instance", "SQS queue")

    @property
    def color(self) -> str:
        return CATEGORIES.get(self.category, CATEGORIES["other"])[0]

    @property
    def group(self) -> str:
        return CATEGORIES.get(self.category, CATEGORIES["other"])[1]


def split_type(native: str) -> tuple[str, str]:
    """('lambda', 'function') for AWS::Lambda::Function and aws_lambda_function alike (best effort)."""
    if "::" in native:
        parts = native.split("::")
        return (parts[1].lower() if len(parts) > 1 else parts[0].lower(),
                parts[-1] if len(parts) > 2 else "")
    rest = native[4:] if native.startswith("aws_") else native
    best = ""
    for key in _SERVICES:
        if (rest == key or rest.startswith(key + "_")) and len(key) > len(best):
            best = key
    if best:
        return best, rest[len(best) + 1:]
    head, _, tail = rest.partition("_")
    return head, tail


def _words(text: str) -> str:
    """'BucketPolicy' / 'bucket_policy' -> 'bucket policy'."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", text).replace("_", " ")
    return text.strip().lower()


def look(res_type: str, kind: str = "") -> Look:
    service, thing = split_type(res_type)
    cat, icon, svc_label = _SERVICES.get(service, ("other", service[:3].upper() or "?", service or res_type))
    if kind:
        k = views.kind_named(kind)
        cat = {"s3_bucket": "storage", "load_balancer": "network"}.get(kind, ROLE_CATEGORY.get(k.role, cat))
        if service in _SERVICES and ROLE_CATEGORY.get(k.role) in ("other", None):
            cat = _SERVICES[service][0]
        icon = KIND_ICON.get(kind, icon)
        label = k.label or f"{svc_label} {_words(thing)}".strip()
    else:
        label = f"{svc_label} {_words(thing)}".strip() if thing else svc_label
    return Look(cat, icon, label)


def is_satellite(res_type: str, kind: str) -> bool:
    if kind in SATELLITE_KINDS:
        return True
    if kind in KIND_ICON or kind in ("vpc", "subnet"):
        return False
    if is_noise(res_type):
        return True
    _service, thing = split_type(res_type)
    thing = thing.replace("_", "").lower()
    return bool(thing) and bool(_SATELLITE_SUFFIX.search(thing))


def used_by(res_type: str, kind: str) -> bool:
    if kind in USED_BY_KINDS:
        return True
    _service, thing = split_type(res_type)
    return bool(USED_BY_SUFFIX.search(thing.replace("_", "").lower()))


def is_noise(res_type: str) -> bool:
    return bool(_NOISE.match(res_type))


def is_vpc_edge(res_type: str, kind: str) -> bool:
    if kind in ("internet_gateway", "egress_only_gateway"):
        return True
    _service, thing = split_type(res_type)
    return bool(VPC_EDGE_TYPES.search(thing or res_type))

"""Compute: Lambda, EC2 instances and launch templates, Auto Scaling, ECS, EKS."""

from __future__ import annotations

from typing import Any

from archreview.model import Resource, Unknown
from archreview.views import B, Facet, I, Kind, L, S, as_list, is_tf


def _cfn_instance_sgs(res: Resource) -> list[Any]:
    out = as_list(res.get("SecurityGroupIds")) + as_list(res.get("SecurityGroups"))
    for nic in as_list(res.get("NetworkInterfaces")):
        if isinstance(nic, dict):
            out += as_list(nic.get("GroupSet"))
    return out


def _cfn_instance_subnet(res: Resource) -> Any:
    if res.get("SubnetId") is not None:
        return res.get("SubnetId")
    for nic in as_list(res.get("NetworkInterfaces")):
        if isinstance(nic, dict) and nic.get("SubnetId") is not None:
            return nic.get("SubnetId")
    return None


def _cfn_instance_public_ip(res: Resource) -> Any:
    for nic in as_list(res.get("NetworkInterfaces")):
        if isinstance(nic, dict) and nic.get("AssociatePublicIpAddress") is not None:
            return nic.get("AssociatePublicIpAddress")
    return None


def _tf_asg_subnets(res: Resource) -> list[Any]:
    return as_list(res.props.get("vpc_zone_identifier"))


def block_devices(res: Resource) -> list[dict[str, Any]]:
    """EBS block devices an instance, launch template or launch configuration declares:
    [{device, encrypted, kms_key, snapshot, path}] (ephemeral/NoDevice entries left out)."""
    out: list[dict[str, Any]] = []
    if is_tf(res):
        groups: list[tuple[str, list[Any]]] = []
        if res.type == "aws_launch_template":
            for i, m in enumerate(as_list(res.props.get("block_device_mappings"))):
                if not isinstance(m, dict):
                    continue
                for ebs in as_list(m.get("ebs")):
                    if isinstance(ebs, dict):
                        out.append({"device": m.get("device_name"), "encrypted": ebs.get("encrypted"),
                                    "kms_key": ebs.get("kms_key_id"), "snapshot": ebs.get("snapshot_id"),
                                    "type": ebs.get("volume_type"), "size": ebs.get("volume_size"),
                                    "iops": ebs.get("iops"),
                                    "type_path": ("block_device_mappings", i, "ebs", 0, "volume_type"),
                                    "path": ("block_device_mappings", i, "ebs", 0, "encrypted")
                                    if "encrypted" in ebs else ("block_device_mappings", i)})
            return out
        groups = [("root_block_device", as_list(res.props.get("root_block_device"))),
                  ("ebs_block_device", as_list(res.props.get("ebs_block_device")))]
        for name, items in groups:
            for i, b in enumerate(items):
                if isinstance(b, dict):
                    out.append({"device": b.get("device_name") or ("root" if name == "root_block_device" else None),
                                "encrypted": b.get("encrypted"), "kms_key": b.get("kms_key_id"),
                                "snapshot": b.get("snapshot_id"), "type": b.get("volume_type"),
                                "size": b.get("volume_size"), "iops": b.get("iops"),
                                "type_path": (name, i, "volume_type"),
                                "path": (name, i, "encrypted") if "encrypted" in b else (name, i)})
        return out
    base: tuple[Any, ...] = ("Properties",)
    mappings = res.get("BlockDeviceMappings")
    if res.type == "AWS::EC2::LaunchTemplate":
        base = ("Properties", "LaunchTemplateData")
        mappings = res.get("LaunchTemplateData", "BlockDeviceMappings")
    for i, m in enumerate(as_list(mappings)):
        if not isinstance(m, dict) or not isinstance(m.get("Ebs"), dict):
            continue
        ebs = m["Ebs"]
        out.append({"device": m.get("DeviceName"), "encrypted": ebs.get("Encrypted"), "kms_key": ebs.get("KmsKeyId"),
                    "snapshot": ebs.get("SnapshotId"), "type": ebs.get("VolumeType"),
                    "size": ebs.get("VolumeSize"), "iops": ebs.get("Iops"),
                    "type_path": base + ("BlockDeviceMappings", i, "Ebs", "VolumeType"),
                    "path": base + ("BlockDeviceMappings", i, "Ebs") + (("Encrypted",) if "Encrypted" in ebs else ())})
    return out


def _profile_spec(spec: Any) -> Any:
    """A launch template's instance profile: the name or ARN its `{Name | Arn}` block gives."""
    for item in as_list(spec)[:1]:
        if isinstance(item, dict):
            return next((item[k] for k in ("Arn", "Name", "arn", "name") if item.get(k) is not None), None)
        return item
    return None


def capacity_strategy(items: Any) -> Any:
    """An ECS capacity provider strategy as [{"provider", "weight", "base"}] (None when absent,
    Unknown when not known)."""
    if items is None or isinstance(items, Unknown):
        return items
    out = []
    for item in as_list(items):
        if not isinstance(item, dict):
            return Unknown("capacity provider strategy not known")
        out.append({"provider": item.get("CapacityProvider", item.get("capacity_provider")),
                    "weight": item.get("Weight", item.get("weight")), "base": item.get("Base", item.get("base"))})
    return out


def _named_setting(settings: Any, name_key: str, value_key: str) -> Any:
    """The containerInsights value of an ECS cluster's settings list (Unknown when the list is)."""
    if isinstance(settings, Unknown):
        return settings
    for item in as_list(settings):
        if isinstance(item, Unknown):
            return item
        if isinstance(item, dict) and item.get(name_key) == "containerInsights":
            return item.get(value_key)
    return None


KINDS = [
    Kind("lambda_function", cfn=("AWS::Lambda::Function",), tf=("aws_lambda_function",), role="compute",
         label="Lambda function", facets={
        "name": S(("FunctionName",), ("function_name",)),
        "subnets": L(("VpcConfig", "SubnetIds"), ("vpc_config", "subnet_ids")),
        "security_groups": L(("VpcConfig", "SecurityGroupIds"), ("vpc_config", "security_group_ids")),
        "environment": S(("Environment", "Variables"), ("environment", "variables"), default={}),
        "role": S(("Role",), ("role",)),
        "dead_letter_target": S(("DeadLetterConfig", "TargetArn"), ("dead_letter_config", "target_arn")),
        "tracing_mode": S(("TracingConfig", "Mode"), ("tracing_config", "mode"), default="PassThrough"),
        "kms_key": S(("KmsKeyArn",), ("kms_key_arn",)),
        "runtime": S(("Runtime",), ("runtime",)),
        "reserved_concurrency": I(("ReservedConcurrentExecutions",), ("reserved_concurrent_executions",)),
        "architectures": L(("Architectures",), ("architectures",)),
        "layers": L(("Layers",), ("layers",)),
        "package_type": S(("PackageType",), ("package_type",), default="Zip"),
        "inline_code": Facet(lambda r: isinstance(r.get("Code"), dict) and r.get("Code").get("ZipFile") is not None,
                             lambda r: False, default=False),
        "log_group": S(("LoggingConfig", "LogGroup"), ("logging_config", "log_group")),
    }),
    Kind("lambda_permission", cfn=("AWS::Lambda::Permission",), tf=("aws_lambda_permission",), role="security", facets={
        "function": S(("FunctionName",), ("function_name",)),
        "principal": S(("Principal",), ("principal",)),
        "source_arn": S(("SourceArn",), ("source_arn",)),
        "source_account": S(("SourceAccount",), ("source_account",)),
        "principal_org_id": S(("PrincipalOrgID",), ("principal_org_id",)),
        "action": S(("Action",), ("action",)),
        "function_url_auth_type": S(("FunctionUrlAuthType",), ("function_url_auth_type",)),
        "invoked_via_function_url": B(("InvokedViaFunctionUrl",), ("invoked_via_function_url",), default=False),
    }),
    Kind("lambda_event_source", cfn=("AWS::Lambda::EventSourceMapping",), tf=("aws_lambda_event_source_mapping",),
         role="compute", facets={
        "function": S(("FunctionName",), ("function_name",)),
        "source": S(("EventSourceArn",), ("event_source_arn",)),
        "on_failure": S(("DestinationConfig", "OnFailure", "Destination"),
                        ("destination_config", "on_failure", "destination_arn")),
        "max_retries": I(("MaximumRetryAttempts",), ("maximum_retry_attempts",), default=-1),
        "max_record_age": I(("MaximumRecordAgeInSeconds",), ("maximum_record_age_in_seconds",), default=-1),
        "enabled": B(("Enabled",), ("enabled",), default=True),
    }),
    Kind("lambda_alias", cfn=("AWS::Lambda::Alias", "AWS::Lambda::Version"), tf=("aws_lambda_alias",),
         role="compute", facets={
        "function": S(("FunctionName",), ("function_name",)),
    }),
    Kind("lambda_event_invoke_config", cfn=("AWS::Lambda::EventInvokeConfig",),
         tf=("aws_lambda_function_event_invoke_config",), role="compute", facets={
        "function": S(("FunctionName",), ("function_name",)),
        "on_failure": S(("DestinationConfig", "OnFailure", "Destination"),
                        ("destination_config", "on_failure", "destination")),
    }),
    Kind("ec2_instance", cfn=("AWS::EC2::Instance",), tf=("aws_instance",), role="compute", label="EC2 instance", facets={
        "subnet": Facet(_cfn_instance_subnet, ("subnet_id",)),
        "security_groups": Facet(_cfn_instance_sgs, lambda r: as_list(r.props.get("vpc_security_group_ids"))
                                 + as_list(r.props.get("security_groups")), default=[]),
        "availability_zone": S(("AvailabilityZone",), ("availability_zone",)),
        "user_data": S(("UserData",), ("user_data",)),
        "user_data_base64": S(None, ("user_data_base64",)),
        "instance_profile": S(("IamInstanceProfile",), ("iam_instance_profile",)),
        "public_ip": Facet(_cfn_instance_public_ip, ("associate_public_ip_address",)),
        "monitoring": B(("Monitoring",), ("monitoring",), default=False),
        "instance_type": S(("InstanceType",), ("instance_type",)),
        "metadata_http_tokens": S(("MetadataOptions", "HttpTokens"), ("metadata_options", "http_tokens")),
        "metadata_endpoint": S(("MetadataOptions", "HttpEndpoint"), ("metadata_options", "http_endpoint"),
                               default="enabled"),
        "launch_template": S(("LaunchTemplate",), ("launch_template",)),
        "name_tag": Facet(lambda r: next((t.get("Value") for t in as_list(r.get("Tags"))
                                          if isinstance(t, dict) and t.get("Key") == "Name"), None), ("tags", "Name")),
        "source_dest_check": B(("SourceDestCheck",), ("source_dest_check",), default=True),
        "block_devices": Facet(block_devices, block_devices, default=[]),
    }),
    Kind("launch_template", cfn=("AWS::EC2::LaunchTemplate",), tf=("aws_launch_template",), role="compute", facets={
        "user_data": S(("LaunchTemplateData", "UserData"), ("user_data",)),
        "security_groups": L(("LaunchTemplateData", "SecurityGroupIds"), ("vpc_security_group_ids",)),
        "block_devices": Facet(block_devices, block_devices, default=[]),
        "instance_type": S(("LaunchTemplateData", "InstanceType"), ("instance_type",)),
        "metadata_http_tokens": S(("LaunchTemplateData", "MetadataOptions", "HttpTokens"),
                                  ("metadata_options", "http_tokens")),
        "metadata_endpoint": S(("LaunchTemplateData", "MetadataOptions", "HttpEndpoint"),
                               ("metadata_options", "http_endpoint"), default="enabled"),
        "instance_profile": Facet(lambda r: _profile_spec(r.get("LaunchTemplateData", "IamInstanceProfile")),
                                  lambda r: _profile_spec(r.props.get("iam_instance_profile"))),
        "market_type": S(("LaunchTemplateData", "InstanceMarketOptions", "MarketType"),
                         ("instance_market_options", "market_type")),
    }),
    Kind("launch_configuration", cfn=("AWS::AutoScaling::LaunchConfiguration",), tf=("aws_launch_configuration",),
         role="compute", facets={
        "user_data": S(("UserData",), ("user_data",)),
        "user_data_base64": S(None, ("user_data_base64",)),
        "security_groups": L(("SecurityGroups",), ("security_groups",)),
        "public_ip": B(("AssociatePublicIpAddress",), ("associate_public_ip_address",)),
        "block_devices": Facet(block_devices, block_devices, default=[]),
        "instance_type": S(("InstanceType",), ("instance_type",)),
        "metadata_http_tokens": S(("MetadataOptions", "HttpTokens"), ("metadata_options", "http_tokens")),
        "metadata_endpoint": S(("MetadataOptions", "HttpEndpoint"), ("metadata_options", "http_endpoint"),
                               default="enabled"),
        "instance_profile": S(("IamInstanceProfile",), ("iam_instance_profile",)),
        "spot_price": S(("SpotPrice",), ("spot_price",)),
    }),
    Kind("autoscaling_group", cfn=("AWS::AutoScaling::AutoScalingGroup",), tf=("aws_autoscaling_group",),
         role="compute", label="Auto Scaling group", facets={
        "subnets": Facet(lambda r: as_list(r.get("VPCZoneIdentifier")), _tf_asg_subnets, default=[]),
        "availability_zones": L(("AvailabilityZones",), ("availability_zones",)),
        "min_size": I(("MinSize",), ("min_size",)),
        "max_size": I(("MaxSize",), ("max_size",)),
        "desired_capacity": I(("DesiredCapacity",), ("desired_capacity",)),
        "launch_template": Facet(("LaunchTemplate", "LaunchTemplateId"), ("launch_template", "id")),
        "launch_configuration": S(("LaunchConfigurationName",), ("launch_configuration",)),
        "target_groups": L(("TargetGroupARNs",), ("target_group_arns",)),
        "mixed_instances": S(("MixedInstancesPolicy",), ("mixed_instances_policy",)),
        "mixed_launch_template": S(("MixedInstancesPolicy", "LaunchTemplate", "LaunchTemplateSpecification",
                                    "LaunchTemplateId"),
                                   ("mixed_instances_policy", "launch_template", "launch_template_specification",
                                    "launch_template_id")),
        # the share of capacity above the base kept On-Demand (AWS default 100: no Spot at all)
        "on_demand_percentage": I(("MixedInstancesPolicy", "InstancesDistribution",
                                   "OnDemandPercentageAboveBaseCapacity"),
                                  ("mixed_instances_policy", "instances_distribution",
                                   "on_demand_percentage_above_base_capacity"), default=100),
        "load_balancer_names": L(("LoadBalancerNames",), ("load_balancers",)),
    }),
    Kind("ecs_cluster", cfn=("AWS::ECS::Cluster",), tf=("aws_ecs_cluster",), role="compute", label="ECS cluster", facets={
        "default_strategy": Facet(lambda r: capacity_strategy(r.get("DefaultCapacityProviderStrategy")),
                                  lambda r: capacity_strategy(r.props.get("default_capacity_provider_strategy")),
                                  default=[]),
        "container_insights": Facet(lambda r: _named_setting(r.get("ClusterSettings"), "Name", "Value"),
                                    lambda r: _named_setting(r.props.get("setting"), "name", "value")),
    }),
    # the account-wide default for new clusters (Terraform only)
    Kind("ecs_account_setting", tf=("aws_ecs_account_setting_default",), role="other", facets={
        "setting": S(None, ("name",)),
        "value": S(None, ("value",)),
    }),
    Kind("ecs_service", cfn=("AWS::ECS::Service",), tf=("aws_ecs_service",), role="compute", label="ECS service", facets={
        "subnets": L(("NetworkConfiguration", "AwsvpcConfiguration", "Subnets"), ("network_configuration", "subnets")),
        "security_groups": L(("NetworkConfiguration", "AwsvpcConfiguration", "SecurityGroups"),
                             ("network_configuration", "security_groups")),
        "assign_public_ip": Facet(("NetworkConfiguration", "AwsvpcConfiguration", "AssignPublicIp"),
                                  ("network_configuration", "assign_public_ip")),
        "desired_count": I(("DesiredCount",), ("desired_count",)),
        "cluster": S(("Cluster",), ("cluster",)),
        "task_definition": S(("TaskDefinition",), ("task_definition",)),
        "launch_type": S(("LaunchType",), ("launch_type",)),
        "name": S(("ServiceName",), ("name",)),
        "capacity_provider_strategy": Facet(lambda r: capacity_strategy(r.get("CapacityProviderStrategy")),
                                            lambda r: capacity_strategy(r.props.get("capacity_provider_strategy")),
                                            default=[]),
        "load_balancers": L(("LoadBalancers",), ("load_balancer",)),
    }),
    # a load balancer target group attached to an Auto Scaling group outside the group (Terraform)
    Kind("autoscaling_attachment", tf=("aws_autoscaling_attachment", "aws_autoscaling_traffic_source_attachment"),
         role="other", facets={
        "group": S(None, ("autoscaling_group_name",)),
    }),
    # a cluster's default capacity provider strategy, for services that name none
    Kind("ecs_cluster_capacity_providers", cfn=("AWS::ECS::ClusterCapacityProviderAssociations",),
         tf=("aws_ecs_cluster_capacity_providers",), role="other", facets={
        "cluster": S(("Cluster",), ("cluster_name",)),
        "default_strategy": Facet(lambda r: capacity_strategy(r.get("DefaultCapacityProviderStrategy")),
                                  lambda r: capacity_strategy(r.props.get("default_capacity_provider_strategy")),
                                  default=[]),
    }),
    Kind("ecs_task_definition", cfn=("AWS::ECS::TaskDefinition",), tf=("aws_ecs_task_definition",), role="compute",
         label="ECS task definition", facets={
        "containers": S(("ContainerDefinitions",), ("container_definitions",), default=[]),
        "task_role": S(("TaskRoleArn",), ("task_role_arn",)),
        "cpu_architecture": S(("RuntimePlatform", "CpuArchitecture"), ("runtime_platform", "cpu_architecture"),
                              default="X86_64"),
        "os_family": S(("RuntimePlatform", "OperatingSystemFamily"), ("runtime_platform", "operating_system_family")),
        "compatibilities": L(("RequiresCompatibilities",), ("requires_compatibilities",)),
        "cpu": S(("Cpu",), ("cpu",)),
        "memory": S(("Memory",), ("memory",)),
        "execution_role": S(("ExecutionRoleArn",), ("execution_role_arn",)),
    }),
    Kind("eks_cluster", cfn=("AWS::EKS::Cluster",), tf=("aws_eks_cluster",), role="compute", label="EKS cluster", facets={
        "subnets": L(("ResourcesVpcConfig", "SubnetIds"), ("vpc_config", "subnet_ids")),
        "public_endpoint": B(("ResourcesVpcConfig", "EndpointPublicAccess"), ("vpc_config", "endpoint_public_access"), default=True),
        "log_exports": Facet(lambda r: [t.get("Type") for t in as_list(r.get("Logging", "ClusterLogging", "EnabledTypes"))
                                        if isinstance(t, dict)], ("enabled_cluster_log_types",), default=[],
                             coerce=as_list),
        "role": S(("RoleArn",), ("role_arn",)),
    }),
    Kind("eks_node_group", cfn=("AWS::EKS::Nodegroup",), tf=("aws_eks_node_group",), role="compute",
         label="EKS node group", facets={
        "subnets": L(("Subnets",), ("subnet_ids",)),
        "cluster": S(("ClusterName",), ("cluster_name",)),
        "instance_types": L(("InstanceTypes",), ("instance_types",)),
        "disk_size": I(("DiskSize",), ("disk_size",)),
        "launch_template": S(("LaunchTemplate", "Id"), ("launch_template", "id")),
    }),
    # Scheduled scaling of an Auto Scaling group (nights and weekends off...)
    Kind("scheduled_action", cfn=("AWS::AutoScaling::ScheduledAction",), tf=("aws_autoscaling_schedule",),
         role="other", facets={
        "group": S(("AutoScalingGroupName",), ("autoscaling_group_name",)),
        "recurrence": S(("Recurrence",), ("recurrence",)),
    }),
    # Application Auto Scaling: what scales DynamoDB capacity, ECS services, Aurora replicas...
    Kind("scaling_target", cfn=("AWS::ApplicationAutoScaling::ScalableTarget",), tf=("aws_appautoscaling_target",),
         role="other", facets={
        "resource_id": S(("ResourceId",), ("resource_id",)),
        "dimension": S(("ScalableDimension",), ("scalable_dimension",)),
        "namespace": S(("ServiceNamespace",), ("service_namespace",)),
    }),
]

"""Compute: EC2 instances and EBS volumes, launch templates and configurations, Auto Scaling
groups, Lambda functions (with their destinations and event sources) and ECS."""

from __future__ import annotations

from typing import Any

from archreview.loaders.aws.context import Reader, policy, tags, user_data


def read_ec2(ctx: Reader) -> None:
    ec2 = ctx.client("ec2")
    volumes: dict[str, dict[str, Any]] = {}
    for vol in ec2.pages("describe_volumes", "Volumes"):
        vid = vol["VolumeId"]
        volumes[vid] = vol
        ctx.emit("AWS::EC2::Volume", ctx.ec2_arn("volume", vid), {
            "AvailabilityZone": vol.get("AvailabilityZone"), "Encrypted": vol.get("Encrypted", False),
            "KmsKeyId": vol.get("KmsKeyId"), "Size": vol.get("Size"), "VolumeType": vol.get("VolumeType"),
            "SnapshotId": vol.get("SnapshotId") or None, "Iops": vol.get("Iops"), "Tags": tags(vol.get("Tags")),
        }, ident=vid)
    instances = [inst for reservation in ec2.pages("describe_instances", "Reservations")
                 for inst in reservation.get("Instances") or []
                 if (inst.get("State") or {}).get("Name") not in ("terminated", "shutting-down")]
    ctx.each(lambda c, inst: _instance(c, ec2, inst, volumes), instances)
    for lt in ec2.pages("describe_launch_templates", "LaunchTemplates"):
        lid = lt["LaunchTemplateId"]
        versions = ctx.guarded(lambda: list(ec2.pages("describe_launch_template_versions", "LaunchTemplateVersions",
                                                      LaunchTemplateId=lid, Versions=["$Default"])), [])
        data = dict((versions[0] if versions else {}).get("LaunchTemplateData") or {})
        if "UserData" in data:
            data["UserData"] = user_data(data["UserData"])
        ctx.emit("AWS::EC2::LaunchTemplate", ctx.ec2_arn("launch-template", lid),
                 {"LaunchTemplateName": lt.get("LaunchTemplateName"), "LaunchTemplateData": data}, ident=lid)


def _instance(ctx: Reader, ec2: Any, inst: dict[str, Any], volumes: dict[str, dict[str, Any]]) -> None:
    iid = inst["InstanceId"]
    data = ctx.guarded(lambda: ec2.call("describe_instance_attribute", InstanceId=iid, Attribute="userData"))
    mappings = []
    for m in inst.get("BlockDeviceMappings") or []:
        vol = volumes.get(str((m.get("Ebs") or {}).get("VolumeId")), {})
        mappings.append({"DeviceName": m.get("DeviceName"),
                         "Ebs": {"VolumeId": (m.get("Ebs") or {}).get("VolumeId"),
                                 "Encrypted": vol.get("Encrypted", False), "KmsKeyId": vol.get("KmsKeyId"),
                                 "VolumeType": vol.get("VolumeType"), "VolumeSize": vol.get("Size")}})
    profile = (inst.get("IamInstanceProfile") or {}).get("Arn")
    ctx.emit("AWS::EC2::Instance", ctx.ec2_arn("instance", iid), {
        "InstanceType": inst.get("InstanceType"), "ImageId": inst.get("ImageId"),
        "SubnetId": inst.get("SubnetId"), "AvailabilityZone": (inst.get("Placement") or {}).get("AvailabilityZone"),
        "SecurityGroupIds": [g.get("GroupId") for g in inst.get("SecurityGroups") or []],
        "NetworkInterfaces": [{"DeviceIndex": "0", "AssociatePublicIpAddress": bool(inst.get("PublicIpAddress"))}],
        "IamInstanceProfile": profile,
        "Monitoring": (inst.get("Monitoring") or {}).get("State") in ("enabled", "pending"),
        "MetadataOptions": {k: v for k, v in (inst.get("MetadataOptions") or {}).items()
                            if k in ("HttpTokens", "HttpEndpoint", "HttpPutResponseHopLimit")},
        "BlockDeviceMappings": mappings, "SourceDestCheck": inst.get("SourceDestCheck"),
        "UserData": user_data(((data or {}).get("UserData") or {}).get("Value")) if isinstance(data, dict) else data,
        "Tags": tags(inst.get("Tags")),
    }, ident=iid)


def read_autoscaling(ctx: Reader) -> None:
    asg = ctx.client("autoscaling")
    for lc in asg.pages("describe_launch_configurations", "LaunchConfigurations"):
        ctx.emit("AWS::AutoScaling::LaunchConfiguration", lc.get("LaunchConfigurationARN") or
                 ctx.arn("autoscaling", f"launchConfiguration:*:launchConfigurationName/{lc['LaunchConfigurationName']}"), {
            "LaunchConfigurationName": lc["LaunchConfigurationName"], "InstanceType": lc.get("InstanceType"),
            "ImageId": lc.get("ImageId"), "UserData": user_data(lc.get("UserData")),
            "SecurityGroups": lc.get("SecurityGroups") or [],
            "AssociatePublicIpAddress": lc.get("AssociatePublicIpAddress"),
            "IamInstanceProfile": lc.get("IamInstanceProfile"),
            "BlockDeviceMappings": [{"DeviceName": m.get("DeviceName"), "Ebs": m["Ebs"]}
                                    for m in lc.get("BlockDeviceMappings") or [] if isinstance(m.get("Ebs"), dict)],
        }, ident=lc["LaunchConfigurationName"])
    for group in asg.pages("describe_auto_scaling_groups", "AutoScalingGroups"):
        lt = group.get("LaunchTemplate") or \
            ((group.get("MixedInstancesPolicy") or {}).get("LaunchTemplate") or {}).get("LaunchTemplateSpecification")
        ctx.emit("AWS::AutoScaling::AutoScalingGroup", group.get("AutoScalingGroupARN") or
                 ctx.arn("autoscaling", f"autoScalingGroup:*:autoScalingGroupName/{group['AutoScalingGroupName']}"), {
            "AutoScalingGroupName": group["AutoScalingGroupName"],
            "MinSize": group.get("MinSize"), "MaxSize": group.get("MaxSize"),
            "DesiredCapacity": group.get("DesiredCapacity"),
            "VPCZoneIdentifier": [s for s in (group.get("VPCZoneIdentifier") or "").split(",") if s],
            "AvailabilityZones": group.get("AvailabilityZones") or [],
            "LaunchTemplate": {"LaunchTemplateId": lt.get("LaunchTemplateId"), "Version": lt.get("Version")} if lt else None,
            "LaunchConfigurationName": group.get("LaunchConfigurationName"),
            "TargetGroupARNs": group.get("TargetGroupARNs") or [],
            "HealthCheckType": group.get("HealthCheckType"),
        }, ident=group["AutoScalingGroupName"])


def read_lambda(ctx: Reader) -> None:
    lam = ctx.client("lambda")
    ctx.each(lambda c, listed: _function(c, lam, listed), list(lam.pages("list_functions", "Functions")))
    for esm in lam.pages("list_event_source_mappings", "EventSourceMappings"):
        ctx.emit("AWS::Lambda::EventSourceMapping", esm.get("EventSourceMappingArn") or
                 ctx.arn("lambda", f"event-source-mapping:{esm['UUID']}"), {
            "FunctionName": esm.get("FunctionArn"), "EventSourceArn": esm.get("EventSourceArn"),
            "DestinationConfig": _destinations(esm.get("DestinationConfig")),
            "MaximumRetryAttempts": esm.get("MaximumRetryAttempts"),
            "MaximumRecordAgeInSeconds": esm.get("MaximumRecordAgeInSeconds"),
            "Enabled": esm.get("State") not in ("Disabled", "Disabling"),
        }, ident=esm["UUID"])


def _function(ctx: Reader, lam: Any, listed: dict[str, Any]) -> None:
    name, arn = listed["FunctionName"], listed["FunctionArn"]
    full = ctx.guarded(lambda: lam.call("get_function_configuration", FunctionName=arn), {})
    fn = {**listed, **full} if isinstance(full, dict) else listed
    vpc = fn.get("VpcConfig") or {}
    concurrency = ctx.guarded(lambda: lam.call("get_function_concurrency", FunctionName=name), {})
    ctx.emit("AWS::Lambda::Function", arn, {
        "FunctionName": name, "Runtime": fn.get("Runtime"), "Role": fn.get("Role"),
        "Handler": fn.get("Handler"), "MemorySize": fn.get("MemorySize"), "Timeout": fn.get("Timeout"),
        "Architectures": fn.get("Architectures"), "PackageType": fn.get("PackageType"),
        "Layers": [layer.get("Arn") for layer in fn.get("Layers") or []] or None,
        "LoggingConfig": {"LogGroup": (fn.get("LoggingConfig") or {}).get("LogGroup")} if fn.get("LoggingConfig") else None,
        "Environment": {"Variables": dict((fn.get("Environment") or {}).get("Variables") or {})}
        if (fn.get("Environment") or {}).get("Variables") else None,
        "VpcConfig": {"SubnetIds": vpc.get("SubnetIds") or [], "SecurityGroupIds": vpc.get("SecurityGroupIds") or []}
        if vpc.get("SubnetIds") else None,
        "TracingConfig": {"Mode": (fn.get("TracingConfig") or {}).get("Mode", "PassThrough")},
        "DeadLetterConfig": {"TargetArn": fn["DeadLetterConfig"]["TargetArn"]}
        if (fn.get("DeadLetterConfig") or {}).get("TargetArn") else None,
        "KmsKeyArn": fn.get("KMSKeyArn"),
        "ReservedConcurrentExecutions": concurrency.get("ReservedConcurrentExecutions")
        if isinstance(concurrency, dict) else None,
    }, ident=name)
    found = ctx.guarded(lambda: lam.call("get_policy", FunctionName=arn, ignore=("ResourceNotFoundException",)), {})
    document = policy(found.get("Policy")) if isinstance(found, dict) and found.get("Policy") else {}
    for i, st in enumerate(document.get("Statement") or [] if isinstance(document, dict) else []):
        ctx.emit("AWS::Lambda::Permission", f"{arn}#permission/{st.get('Sid') or i}", _permission(arn, st))
    for cfg in ctx.guarded(lambda: list(lam.pages("list_function_event_invoke_configs",
                                                  "FunctionEventInvokeConfigs", FunctionName=name)), []):
        ctx.emit("AWS::Lambda::EventInvokeConfig", f"{arn}#event-invoke-config", {
            "FunctionName": arn, "DestinationConfig": _destinations(cfg.get("DestinationConfig")),
            "MaximumRetryAttempts": cfg.get("MaximumRetryAttempts"),
        })


def _permission(function: str, statement: dict[str, Any]) -> dict[str, Any]:
    """One statement of a function's resource policy as the AWS::Lambda::Permission that made it."""
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        principal = principal.get("Service") or principal.get("AWS")
    condition = statement.get("Condition") or {}

    def cond(key: str) -> Any:
        for operator in condition.values():
            if isinstance(operator, dict):
                for k, v in operator.items():
                    if k.lower() == key.lower():
                        return v
        return None
    action = statement.get("Action")
    return {"FunctionName": function, "Principal": principal,
            "Action": action[0] if isinstance(action, list) and len(action) == 1 else action,
            "SourceArn": cond("AWS:SourceArn"), "SourceAccount": cond("AWS:SourceAccount"),
            "FunctionUrlAuthType": cond("lambda:FunctionUrlAuthType"), "PrincipalOrgID": cond("aws:PrincipalOrgID"),
            "InvokedViaFunctionUrl": cond("lambda:InvokedViaFunctionUrl"), "Effect": statement.get("Effect")}


def _destinations(config: Any) -> dict[str, Any] | None:
    out = {}
    for key in ("OnFailure", "OnSuccess"):
        dest = ((config or {}).get(key) or {}).get("Destination")
        if dest:
            out[key] = {"Destination": dest}
    return out or None


def read_ecs(ctx: Reader) -> None:
    ecs = ctx.client("ecs")
    cluster_arns = list(ecs.pages("list_clusters", "clusterArns"))
    task_defs: set[str] = set()
    for i in range(0, len(cluster_arns), 100):
        for cl in (ecs.call("describe_clusters", clusters=cluster_arns[i:i + 100], include=["SETTINGS"]) or {}).get("clusters") or []:
            ctx.emit("AWS::ECS::Cluster", cl["clusterArn"], {
                "ClusterName": cl.get("clusterName"),
                "ClusterSettings": [{"Name": s.get("name"), "Value": s.get("value")} for s in cl.get("settings") or []],
            }, ident=cl.get("clusterName", ""))
    for cluster in cluster_arns:
        service_arns = list(ecs.pages("list_services", "serviceArns", cluster=cluster))
        for i in range(0, len(service_arns), 10):
            found = ecs.call("describe_services", cluster=cluster, services=service_arns[i:i + 10]) or {}
            for svc in found.get("services") or []:
                net = (svc.get("networkConfiguration") or {}).get("awsvpcConfiguration") or {}
                task_defs.add(svc.get("taskDefinition") or "")
                ctx.emit("AWS::ECS::Service", svc["serviceArn"], {
                    "ServiceName": svc.get("serviceName"), "Cluster": svc.get("clusterArn") or cluster,
                    "TaskDefinition": svc.get("taskDefinition"), "DesiredCount": svc.get("desiredCount"),
                    "LaunchType": svc.get("launchType"),
                    "NetworkConfiguration": {"AwsvpcConfiguration": {
                        "Subnets": net.get("subnets") or [], "SecurityGroups": net.get("securityGroups") or [],
                        "AssignPublicIp": net.get("assignPublicIp", "DISABLED")}} if net else None,
                    "LoadBalancers": [{"TargetGroupArn": lb.get("targetGroupArn"), "ContainerName": lb.get("containerName"),
                                       "ContainerPort": lb.get("containerPort")} for lb in svc.get("loadBalancers") or []],
                }, ident=svc.get("serviceName", ""))
    latest: dict[str, str] = {}
    for arn in ecs.pages("list_task_definitions", "taskDefinitionArns", status="ACTIVE"):
        family = arn.rsplit("/", 1)[-1].rsplit(":", 1)[0]
        latest[family] = arn            # listed oldest first: the last one is the newest revision
    for arn in sorted((task_defs | set(latest.values())) - {""}):
        td = (ctx.guarded(lambda: ecs.call("describe_task_definition", taskDefinition=arn), {}) or {}).get("taskDefinition")
        if not td:
            continue
        ctx.emit("AWS::ECS::TaskDefinition", td["taskDefinitionArn"], {
            "Family": td.get("family"), "NetworkMode": td.get("networkMode"),
            "RequiresCompatibilities": td.get("requiresCompatibilities"), "Cpu": td.get("cpu"), "Memory": td.get("memory"),
            "TaskRoleArn": td.get("taskRoleArn"), "ExecutionRoleArn": td.get("executionRoleArn"),
            "RuntimePlatform": {"CpuArchitecture": (td.get("runtimePlatform") or {}).get("cpuArchitecture"),
                                "OperatingSystemFamily": (td.get("runtimePlatform") or {}).get("operatingSystemFamily")}
            if td.get("runtimePlatform") else None,
            "ContainerDefinitions": [_container(c) for c in td.get("containerDefinitions") or []],
        }, ident=td.get("family", ""))


def _container(c: dict[str, Any]) -> dict[str, Any]:
    """An ECS API container definition (camelCase) in CloudFormation's spelling (PascalCase)."""
    def pascal(value: Any) -> Any:
        if isinstance(value, dict):
            return {(k[:1].upper() + k[1:]) if isinstance(k, str) else k: v if k in ("options", "secretOptions")
                    else pascal(v) for k, v in value.items()}
        if isinstance(value, list):
            return [pascal(v) for v in value]
        return value
    out = pascal({k: v for k, v in c.items() if k not in ("environment", "dockerLabels")})
    if c.get("environment"):
        out["Environment"] = [{"Name": e.get("name"), "Value": e.get("value")} for e in c["environment"]]
    return out

"""Elastic Load Balancing v2: load balancers (with their attributes), listeners, target groups."""

from __future__ import annotations

from archreview.loaders.aws.context import Reader


def read(ctx: Reader) -> None:
    elb = ctx.client("elbv2")
    for lb in elb.pages("describe_load_balancers", "LoadBalancers"):
        arn = lb["LoadBalancerArn"]
        attrs = ctx.guarded(lambda: elb.call("describe_load_balancer_attributes", LoadBalancerArn=arn))
        ctx.emit("AWS::ElasticLoadBalancingV2::LoadBalancer", arn, {
            "Name": lb.get("LoadBalancerName"), "Scheme": lb.get("Scheme"), "Type": lb.get("Type"),
            "Subnets": [z.get("SubnetId") for z in lb.get("AvailabilityZones") or [] if z.get("SubnetId")],
            "SecurityGroups": lb.get("SecurityGroups") or [], "IpAddressType": lb.get("IpAddressType"),
            "LoadBalancerAttributes": [{"Key": a.get("Key"), "Value": a.get("Value")}
                                       for a in (attrs or {}).get("Attributes") or []] if isinstance(attrs, dict) else attrs,
        }, ident=lb.get("LoadBalancerName", ""))
        for listener in ctx.guarded(lambda: list(elb.pages("describe_listeners", "Listeners", LoadBalancerArn=arn)), []):
            ctx.emit("AWS::ElasticLoadBalancingV2::Listener", listener["ListenerArn"], {
                "LoadBalancerArn": arn, "Port": listener.get("Port"), "Protocol": listener.get("Protocol"),
                "SslPolicy": listener.get("SslPolicy"),
                "Certificates": [{"CertificateArn": c.get("CertificateArn")} for c in listener.get("Certificates") or []],
                "DefaultActions": listener.get("DefaultActions") or [],
            })
    for tg in elb.pages("describe_target_groups", "TargetGroups"):
        arn = tg["TargetGroupArn"]
        health = ctx.guarded(lambda: elb.call("describe_target_health", TargetGroupArn=arn), {})
        ctx.emit("AWS::ElasticLoadBalancingV2::TargetGroup", arn, {
            "Name": tg.get("TargetGroupName"), "Protocol": tg.get("Protocol"), "Port": tg.get("Port"),
            "TargetType": tg.get("TargetType"), "VpcId": tg.get("VpcId"),
            "HealthCheckPath": tg.get("HealthCheckPath"),
            "Targets": [{"Id": (t.get("Target") or {}).get("Id"), "Port": (t.get("Target") or {}).get("Port")}
                        for t in (health or {}).get("TargetHealthDescriptions") or []] if isinstance(health, dict) else [],
        }, ident=tg.get("TargetGroupName", ""))

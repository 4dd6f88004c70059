"""SQS queues and SNS topics with their policies, KMS keys (rotation, key policy) and
Secrets Manager secrets: metadata and resource policy only, never a secret's value."""

from __future__ import annotations

from typing import Any

from archreview.loaders.aws.context import Reader, policy


def read_sqs(ctx: Reader) -> None:
    sqs = ctx.client("sqs")
    ctx.each(lambda c, url: _queue(c, sqs, url), list(sqs.pages("list_queues", "QueueUrls")))


def _queue(ctx: Reader, sqs: Any, url: str) -> None:
    found = ctx.guarded(lambda: sqs.call("get_queue_attributes", QueueUrl=url, AttributeNames=["All"]))
    attrs = (found or {}).get("Attributes") or {} if isinstance(found, dict) else {}
    unread = None if isinstance(found, dict) else found        # attributes unknown, not absent
    name = url.rstrip("/").rsplit("/", 1)[-1]
    arn = attrs.get("QueueArn") or ctx.arn("sqs", name)
    ctx.emit("AWS::SQS::Queue", arn, {
        "QueueName": name, "FifoQueue": attrs.get("FifoQueue") == "true" or None,
        "RedrivePolicy": policy(attrs["RedrivePolicy"]) if attrs.get("RedrivePolicy") else unread,
        "KmsMasterKeyId": attrs.get("KmsMasterKeyId", unread),
        "SqsManagedSseEnabled": attrs["SqsManagedSseEnabled"] == "true" if "SqsManagedSseEnabled" in attrs else None,
        "MessageRetentionPeriod": attrs.get("MessageRetentionPeriod"),
        "VisibilityTimeout": attrs.get("VisibilityTimeout"),
    }, ident=name, aliases=(url,))
    if attrs.get("Policy"):
        ctx.emit("AWS::SQS::QueuePolicy", f"{arn}#policy", {"Queues": [arn], "PolicyDocument": policy(attrs["Policy"])})


def read_sns(ctx: Reader) -> None:
    sns = ctx.client("sns")
    ctx.each(lambda c, topic: _topic(c, sns, topic["TopicArn"]), list(sns.pages("list_topics", "Topics")))


def _topic(ctx: Reader, sns: Any, arn: str) -> None:
    found = ctx.guarded(lambda: sns.call("get_topic_attributes", TopicArn=arn))
    attrs = (found or {}).get("Attributes") or {} if isinstance(found, dict) else {}
    unread = None if isinstance(found, dict) else found
    name = arn.rsplit(":", 1)[-1]
    ctx.emit("AWS::SNS::Topic", arn, {"TopicName": name, "KmsMasterKeyId": attrs.get("KmsMasterKeyId", unread)}, ident=name)
    if attrs.get("Policy"):
        ctx.emit("AWS::SNS::TopicPolicy", f"{arn}#policy", {"Topics": [arn], "PolicyDocument": policy(attrs["Policy"])})


def read_kms(ctx: Reader) -> None:
    kms = ctx.client("kms")
    ctx.each(lambda c, key: _key(c, kms, key), list(kms.pages("list_keys", "Keys")))


def _key(ctx: Reader, kms: Any, key: dict[str, Any]) -> None:
    kid = key["KeyId"]
    meta = ((kms.call("describe_key", KeyId=kid) or {}).get("KeyMetadata")) or {}
    if meta.get("KeyManager") == "AWS" or meta.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion"):
        return                      # AWS-managed keys rotate themselves and take no policy of ours
    spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
    rotation = None
    if spec == "SYMMETRIC_DEFAULT" and meta.get("Origin", "AWS_KMS") == "AWS_KMS":
        status = ctx.guarded(lambda: kms.call("get_key_rotation_status", KeyId=kid))
        rotation = status.get("KeyRotationEnabled", False) if isinstance(status, dict) else status
    doc = ctx.guarded(lambda: kms.call("get_key_policy", KeyId=kid, PolicyName="default"))
    ctx.emit("AWS::KMS::Key", key.get("KeyArn") or meta.get("Arn") or ctx.arn("kms", f"key/{kid}"), {
        "Description": meta.get("Description"), "KeySpec": spec, "KeyUsage": meta.get("KeyUsage"),
        "Enabled": meta.get("Enabled"), "MultiRegion": meta.get("MultiRegion"),
        "EnableKeyRotation": rotation,
        "KeyPolicy": policy(doc.get("Policy")) if isinstance(doc, dict) and doc.get("Policy") else
        (doc if not isinstance(doc, dict) else None),
    }, ident=kid)


def read_secrets(ctx: Reader) -> None:
    sm = ctx.client("secretsmanager")
    for secret in sm.pages("list_secrets", "SecretList"):
        arn, name = secret["ARN"], secret.get("Name", "")
        ctx.emit("AWS::SecretsManager::Secret", arn, {
            "Name": name, "Description": secret.get("Description"), "KmsKeyId": secret.get("KmsKeyId"),
            "RotationEnabled": secret.get("RotationEnabled", False),
            "RotationRules": secret.get("RotationRules"),
        }, ident=name)
        found = ctx.guarded(lambda: sm.call("get_resource_policy", SecretId=arn), {})
        if isinstance(found, dict) and found.get("ResourcePolicy"):
            ctx.emit("AWS::SecretsManager::ResourcePolicy", f"{arn}#policy",
                     {"SecretId": arn, "ResourcePolicy": policy(found["ResourcePolicy"])})

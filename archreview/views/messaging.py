"""Messaging and the security services around it: SQS, SNS, EventBridge, Kinesis, KMS keys,
Secrets Manager secrets and SSM parameters, with their resource policies.

Every kind that carries a resource-based policy exposes it as the facet `resource_policy`
(a document, a JSON string or Unknown), so one check reads them all.
"""

from __future__ import annotations

from typing import Any

from archreview.model import Resource
from archreview.views import B, Facet, I, Kind, S, as_list


def _tf_sqs_policy_queues(res: Resource) -> list[Any]:
    return as_list(res.props.get("queue_url"))


KINDS = [
    Kind("sqs_queue", cfn=("AWS::SQS::Queue",), tf=("aws_sqs_queue",), role="messaging", label="SQS queue", facets={
        "name": S(("QueueName",), ("name",)),
        "fifo": B(("FifoQueue",), ("fifo_queue",), default=False),
        "resource_policy": S(None, ("policy",)),
        "redrive_policy": S(("RedrivePolicy",), ("redrive_policy",)),
        "kms_key": S(("KmsMasterKeyId",), ("kms_master_key_id",)),
        "sqs_managed_sse": B(("SqsManagedSseEnabled",), ("sqs_managed_sse_enabled",)),   # absent: AWS turns it on
    }),
    Kind("sqs_queue_policy", cfn=("AWS::SQS::QueuePolicy",), tf=("aws_sqs_queue_policy",), role="security", facets={
        "queues": Facet(lambda r: as_list(r.get("Queues")), _tf_sqs_policy_queues, []),
        "resource_policy": S(("PolicyDocument",), ("policy",)),
    }),
    Kind("sqs_redrive_policy", tf=("aws_sqs_queue_redrive_policy",), role="messaging", facets={
        "queue": S(None, ("queue_url",)),
        "redrive_policy": S(None, ("redrive_policy",)),
    }),
    Kind("sns_topic", cfn=("AWS::SNS::Topic",), tf=("aws_sns_topic",), role="messaging", label="SNS topic", facets={
        "name": S(("TopicName",), ("name",)),
        "kms_key": S(("KmsMasterKeyId",), ("kms_master_key_id",)),
        "resource_policy": S(None, ("policy",)),
    }),
    Kind("sns_topic_policy", cfn=("AWS::SNS::TopicPolicy",), tf=("aws_sns_topic_policy",), role="security", facets={
        "topics": Facet(lambda r: as_list(r.get("Topics")), lambda r: as_list(r.props.get("arn")), []),
        "resource_policy": S(("PolicyDocument",), ("policy",)),
    }),
    Kind("eventbridge_bus", cfn=("AWS::Events::EventBus",), tf=("aws_cloudwatch_event_bus",), role="messaging",
         label="EventBridge bus", facets={
        "name": S(("Name",), ("name",)),
        "resource_policy": S(("Policy",), None),
    }),
    Kind("eventbridge_bus_policy", cfn=("AWS::Events::EventBusPolicy",), tf=("aws_cloudwatch_event_bus_policy",),
         role="security", facets={
        "bus": S(("EventBusName",), ("event_bus_name",)),
        "resource_policy": S(("Statement",), ("policy",)),
    }),
    Kind("eventbridge_rule", cfn=("AWS::Events::Rule",), tf=("aws_cloudwatch_event_rule",), role="messaging",
         label="EventBridge rule", facets={
        "name": S(("Name",), ("name",)),
        "bus": S(("EventBusName",), ("event_bus_name",)),
        "schedule": S(("ScheduleExpression",), ("schedule_expression",)),
    }),
    Kind("kinesis_stream", cfn=("AWS::Kinesis::Stream",), tf=("aws_kinesis_stream",), role="messaging",
         label="Kinesis stream", facets={
        "name": S(("Name",), ("name",)),
        "shard_count": I(("ShardCount",), ("shard_count",)),
        "encryption_type": S(("StreamEncryption", "EncryptionType"), ("encryption_type",), default="NONE"),
    }),
    Kind("kms_key", cfn=("AWS::KMS::Key",), tf=("aws_kms_key",), role="security", label="KMS key", facets={
        "resource_policy": S(("KeyPolicy",), ("policy",)),
        "rotation": B(("EnableKeyRotation",), ("enable_key_rotation",), default=False),
        "key_spec": S(("KeySpec",), ("customer_master_key_spec",), default="SYMMETRIC_DEFAULT"),
    }),
    Kind("secretsmanager_secret", cfn=("AWS::SecretsManager::Secret",), tf=("aws_secretsmanager_secret",),
         role="security", label="Secret", facets={
        "name": S(("Name",), ("name",)),
        "secret_string": S(("SecretString",), None),
        "generate_secret_string": S(("GenerateSecretString",), None),
        "resource_policy": S(None, ("policy",)),
        "kms_key": S(("KmsKeyId",), ("kms_key_id",)),
    }),
    Kind("secretsmanager_secret_version", tf=("aws_secretsmanager_secret_version",), role="security", facets={
        "secret": S(None, ("secret_id",)),
        "secret_string": S(None, ("secret_string",)),
    }),
    Kind("secretsmanager_secret_policy", cfn=("AWS::SecretsManager::ResourcePolicy",),
         tf=("aws_secretsmanager_secret_policy",), role="security", facets={
        "secret": S(("SecretId",), ("secret_arn",)),
        "resource_policy": S(("ResourcePolicy",), ("policy",)),
    }),
    Kind("ssm_parameter", cfn=("AWS::SSM::Parameter",), tf=("aws_ssm_parameter",), role="other",
         label="SSM parameter", facets={
        "name": S(("Name",), ("name",)),
        "type": S(("Type",), ("type",)),
        "value": S(("Value",), ("value",)),
        "insecure_value": S(None, ("insecure_value",)),
    }),
]

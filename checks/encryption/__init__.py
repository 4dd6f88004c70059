"""Checks for the encryption criterion: data at rest (KMS/SSE on stores, volumes, queues,
topics) and in transit (TLS listeners and policies, CloudFront viewers, `aws:SecureTransport`).

Deliberately not flagged, because the AWS default is already encrypted and a senior
reviewer would not ask for more without a stated requirement (a CMK is a choice, not a fix):

* S3 buckets without `BucketEncryption`: SSE-S3 is applied to every new object since
  January 2023. ENC007 judges transport instead.
* SQS queues without encryption settings: SSE-SQS is on by default; only an explicit
  `SqsManagedSseEnabled: false` is flagged (ENC008).
* DynamoDB tables without a CMK: always encrypted with an AWS-owned key.
* CloudWatch log groups without `KmsKeyId`: CloudWatch Logs always encrypts log data.
* Redshift clusters without `Encrypted`: new provisioned clusters are encrypted by default;
  only an explicit `false` is flagged (ENC013).
"""

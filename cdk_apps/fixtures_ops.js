// Synthesizes the CDK fixtures of the encryption (ENC), observability (OBS) and backup-dr
// (DR) checks: tests/fixtures/<ID>/bad.cdk.out and good.cdk.out, one small stack each, no
// assets. Run: cd cdk_apps && node fixtures_ops.js
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const sqs = require('aws-cdk-lib/aws-sqs');
const sns = require('aws-cdk-lib/aws-sns');
const subs = require('aws-cdk-lib/aws-sns-subscriptions');
const s3 = require('aws-cdk-lib/aws-s3');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const sources = require('aws-cdk-lib/aws-lambda-event-sources');

const env = { account: '123456789012', region: 'us-east-1' };
const FIXTURES = path.join(__dirname, '..', 'tests', 'fixtures');

function synth(id, stem, build) {
  const outdir = path.join(FIXTURES, id, `${stem}.cdk.out`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new cdk.App({ outdir, analyticsReporting: false });
  const stack = new cdk.Stack(app, `${id}${stem[0].toUpperCase()}${stem.slice(1)}`, {
    env, synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
  });
  build(stack);
  app.synth();
}

// A Lambda function with inline code (no asset) and tracing on.
function fn(stack, id, props = {}) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return event\n'),
    tracing: lambda.Tracing.ACTIVE,
    ...props,
  });
}

// A dead-letter queue with the alarm OBS010 expects.
function watchedQueue(stack, id) {
  const queue = new sqs.Queue(stack, id, { encryption: sqs.QueueEncryption.SQS_MANAGED,
    retentionPeriod: cdk.Duration.days(14) });
  new cloudwatch.Alarm(stack, `${id}Alarm`, {
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: cdk.Duration.minutes(5), statistic: 'Maximum' }),
    threshold: 0, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  });
  return queue;
}

function table(stack, props = {}) {
  return new dynamodb.Table(stack, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    ...props,
  });
}

// ENC007: a bucket that accepts plain HTTP
synth('ENC007', 'bad', (s) => {
  new s3.Bucket(s, 'Data', { versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
});
synth('ENC007', 'good', (s) => {
  new s3.Bucket(s, 'Data', { versioned: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, enforceSSL: true });
});

// DR004: a table without point-in-time recovery
synth('DR004', 'bad', (s) => {
  table(s, { pointInTimeRecoverySpecification: undefined });
});
synth('DR004', 'good', (s) => {
  table(s);
});

// DR007: a table destroyed with the stack
synth('DR007', 'bad', (s) => {
  table(s, { removalPolicy: cdk.RemovalPolicy.DESTROY });
});
synth('DR007', 'good', (s) => {
  table(s);        // CDK's default removal policy for a table is RETAIN
});

// OBS001: a function subscribed to a topic with no DLQ or on-failure destination
synth('OBS001', 'bad', (s) => {
  const topic = new sns.Topic(s, 'Events', { masterKey: undefined });
  topic.addSubscription(new subs.LambdaSubscription(fn(s, 'Handler')));
});
synth('OBS001', 'good', (s) => {
  const topic = new sns.Topic(s, 'Events');
  const dlq = watchedQueue(s, 'HandlerDlq');
  topic.addSubscription(new subs.LambdaSubscription(fn(s, 'Handler', { deadLetterQueue: dlq })));
});

// OBS002: a queue consumed by Lambda with no dead-letter queue
synth('OBS002', 'bad', (s) => {
  const queue = new sqs.Queue(s, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED,
    visibilityTimeout: cdk.Duration.seconds(180) });
  fn(s, 'Worker', { timeout: cdk.Duration.seconds(30) }).addEventSource(new sources.SqsEventSource(queue));
});
synth('OBS002', 'good', (s) => {
  const dlq = watchedQueue(s, 'JobsDlq');
  const queue = new sqs.Queue(s, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED,
    visibilityTimeout: cdk.Duration.seconds(180), deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
  fn(s, 'Worker', { timeout: cdk.Duration.seconds(30) }).addEventSource(new sources.SqsEventSource(queue));
});

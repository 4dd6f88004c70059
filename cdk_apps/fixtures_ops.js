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

// OBS003: a Kinesis consumer without an on-failure destination
const kinesis = require('aws-cdk-lib/aws-kinesis');
synth('OBS003', 'bad', (s) => {
  const stream = new kinesis.Stream(s, 'Clicks', { shardCount: 1, encryption: kinesis.StreamEncryption.MANAGED });
  fn(s, 'Projector').addEventSource(new sources.KinesisEventSource(stream, {
    startingPosition: lambda.StartingPosition.LATEST,
  }));
});
synth('OBS003', 'good', (s) => {
  const stream = new kinesis.Stream(s, 'Clicks', { shardCount: 1, encryption: kinesis.StreamEncryption.MANAGED });
  const failures = watchedQueue(s, 'ProjectorFailures');
  fn(s, 'Projector').addEventSource(new sources.KinesisEventSource(stream, {
    startingPosition: lambda.StartingPosition.LATEST, retryAttempts: 5, bisectBatchOnError: true,
    onFailure: new sources.SqsDlq(failures),
  }));
});

// OBS009: a REST API stage without access logs
const apigw = require('aws-cdk-lib/aws-apigateway');
const logs = require('aws-cdk-lib/aws-logs');
synth('OBS009', 'bad', (s) => {
  const api = new apigw.RestApi(s, 'Orders', { cloudWatchRole: false, deployOptions: { tracingEnabled: true } });
  api.root.addMethod('GET', new apigw.MockIntegration());
});
synth('OBS009', 'good', (s) => {
  const group = new logs.LogGroup(s, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS });
  const api = new apigw.RestApi(s, 'Orders', { cloudWatchRole: false, deployOptions: {
    tracingEnabled: true,
    accessLogDestination: new apigw.LogGroupLogDestination(group),
    accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
  } });
  api.root.addMethod('GET', new apigw.MockIntegration());
});

// ENC001: an RDS database without storage encryption (isolated subnets, no NAT)
const ec2 = require('aws-cdk-lib/aws-ec2');
const rds = require('aws-cdk-lib/aws-rds');
function database(s, props) {
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [
    { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] });
  new rds.DatabaseInstance(s, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    multiAz: true, backupRetention: cdk.Duration.days(14), deletionProtection: true,
    enablePerformanceInsights: true, cloudwatchLogsExports: ['postgresql'],
    ...props,
  });
}
synth('ENC001', 'bad', (s) => database(s, { storageEncrypted: false }));
synth('ENC001', 'good', (s) => database(s, { storageEncrypted: true }));

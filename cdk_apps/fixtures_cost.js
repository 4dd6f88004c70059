// Synthesizes the CDK fixtures of the cost-efficiency (CE) checks: tests/fixtures/<ID>/bad.cdk.out
// and good.cdk.out, one small stack each, no assets. Run: cd cdk_apps && node fixtures_cost.js
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const lambda = require('aws-cdk-lib/aws-lambda');
const logs = require('aws-cdk-lib/aws-logs');
const s3 = require('aws-cdk-lib/aws-s3');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');

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

// A Lambda function with inline code (no asset), tracing on, its own log group with retention.
function fn(stack, id, props = {}) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return event\n'),
    tracing: lambda.Tracing.ACTIVE,
    logGroup: new logs.LogGroup(stack, `${id}Logs`, { retention: logs.RetentionDays.ONE_MONTH }),
    ...props,
  });
}

// CE001: a gp2 volume; gp3 instead
synth('CE001', 'bad', (s) => new ec2.Volume(s, 'Data', { availabilityZone: 'us-east-1a', size: cdk.Size.gibibytes(500),
  volumeType: ec2.EbsDeviceVolumeType.GP2, encrypted: true }));
synth('CE001', 'good', (s) => new ec2.Volume(s, 'Data', { availabilityZone: 'us-east-1a', size: cdk.Size.gibibytes(500),
  volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }));

// CE003: a Node.js function on x86_64; arm64 instead
synth('CE003', 'bad', (s) => fn(s, 'Resize'));
synth('CE003', 'good', (s) => fn(s, 'Resize', { architecture: lambda.Architecture.ARM_64 }));

// CE004: a function whose log group Lambda creates (no retention); a declared group instead
synth('CE004', 'bad', (s) => fn(s, 'Report', { architecture: lambda.Architecture.ARM_64, logGroup: undefined }));
synth('CE004', 'good', (s) => fn(s, 'Report', { architecture: lambda.Architecture.ARM_64 }));

// CE006: a versioned bucket keeping every old version; noncurrent versions expiring instead
const bucketProps = { versioned: true, encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL };
synth('CE006', 'bad', (s) => new s3.Bucket(s, 'Uploads', bucketProps));
synth('CE006', 'good', (s) => new s3.Bucket(s, 'Uploads', { ...bucketProps,
  lifecycleRules: [{ noncurrentVersionExpiration: cdk.Duration.days(90) }] }));

// CE007: fixed provisioned capacity; auto scaling instead
function orders(s) {
  return new dynamodb.Table(s, 'Orders', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PROVISIONED, readCapacity: 400, writeCapacity: 200,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
}
synth('CE007', 'bad', (s) => orders(s));
synth('CE007', 'good', (s) => {
  const t = orders(s);
  t.autoScaleReadCapacity({ minCapacity: 50, maxCapacity: 400 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
  t.autoScaleWriteCapacity({ minCapacity: 20, maxCapacity: 200 }).scaleOnUtilization({ targetUtilizationPercent: 70 });
});

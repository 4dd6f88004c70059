// Synthesizes the CDK fixtures of the cost-efficiency (CE) checks: tests/fixtures/<ID>/bad.cdk.out
// and good.cdk.out, one small stack each, no assets. Run: cd cdk_apps && node fixtures_cost.js [CE011 ...]
// (with check ids, only those fixtures are synthesized again).
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

const ONLY = process.argv.slice(2);

function synth(id, stem, build) {
  if (ONLY.length && !ONLY.includes(id)) return;
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

// CE003: a Python function with inline code on x86_64, and a Fargate service (both at the end)

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

// CE002: a launch template on a previous generation (t2); the current one instead
const lt = (s, type) => new ec2.LaunchTemplate(s, 'Workers', {
  instanceType: new ec2.InstanceType(type), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  requireImdsv2: true });
synth('CE002', 'bad', (s) => lt(s, 't2.large'));
synth('CE002', 'good', (s) => lt(s, 't3.large'));

// CE005: a bucket receiving access logs with nothing expiring them; a lifecycle rule instead
function logged(s, logProps) {
  const logs3 = new s3.Bucket(s, 'AccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, ...logProps });
  new s3.Bucket(s, 'Data', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true, versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, serverAccessLogsBucket: logs3,
    lifecycleRules: [{ noncurrentVersionExpiration: cdk.Duration.days(90) }] });
}
synth('CE005', 'bad', (s) => logged(s, {}));
synth('CE005', 'good', (s) => logged(s, { lifecycleRules: [{ expiration: cdk.Duration.days(365) }] }));

// CE008: a dev environment with a NAT gateway per AZ; a one-AZ dev network with one instead
// (one NAT for two AZs is what the multi-az and egress-cost checks flag)
function devVpc(s, maxAzs) {
  new cdk.CfnParameter(s, 'Environment', { type: 'String', default: 'dev' });
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs, natGateways: maxAzs, restrictDefaultSecurityGroup: false });
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
}
synth('CE008', 'bad', (s) => devVpc(s, 2));
synth('CE008', 'good', (s) => devVpc(s, 1));

// CE010: RDS PostgreSQL on io1 at IOPS gp3 includes; gp3 instead
const rds = require('aws-cdk-lib/aws-rds');
function pg(s, props) {
  const vpc = new ec2.Vpc(s, 'Vpc', { maxAzs: 2, natGateways: 0, restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] });
  new rds.DatabaseInstance(s, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: new ec2.InstanceType('m6g.large'), allocatedStorage: 500,
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    multiAz: true, storageEncrypted: true, backupRetention: cdk.Duration.days(14), deletionProtection: true,
    enablePerformanceInsights: true, cloudwatchLogsExports: ['postgresql'], ...props,
  });
}
synth('CE010', 'bad', (s) => pg(s, { storageType: rds.StorageType.IO1, iops: 10000 }));
synth('CE010', 'good', (s) => pg(s, { storageType: rds.StorageType.GP3 }));

// An existing VPC by its ids (no VPC resources of its own in the template)
const VPC_ATTRS = { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a', 'us-east-1b'],
  privateSubnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] };
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');

// CE011: a web fleet behind a target group pinned at 4 (min = max); 2 to 8 with target tracking instead
function web(s, capacity) {
  const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', VPC_ATTRS);
  const asg = new autoscaling.AutoScalingGroup(s, 'Web', {
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    launchTemplate: new ec2.LaunchTemplate(s, 'WebTemplate', { instanceType: new ec2.InstanceType('c7g.2xlarge'),
      machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
      requireImdsv2: true,
      blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20,
        { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }) }] }),
    ...capacity,
  });
  new elbv2.ApplicationTargetGroup(s, 'WebTargets', { vpc, port: 80, protocol: elbv2.ApplicationProtocol.HTTP,
    targets: [asg] });
  return asg;
}
synth('CE011', 'bad', (s) => web(s, { minCapacity: 4, maxCapacity: 4 }));
synth('CE011', 'good', (s) => web(s, { minCapacity: 2, maxCapacity: 8 })
  .scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 }));

// CE012: a test environment's database running around the clock; the same template deploying
// production too (the environment parameter allows prod) is not a non-production declaration
function testDb(s, allowedValues) {
  new cdk.CfnParameter(s, 'Environment', { type: 'String', default: 'test', allowedValues });
  const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', VPC_ATTRS);
  new rds.DatabaseInstance(s, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: new ec2.InstanceType('m6g.xlarge'), allocatedStorage: 100, storageType: rds.StorageType.GP3,
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    multiAz: true, storageEncrypted: true, backupRetention: cdk.Duration.days(14), deletionProtection: true,
    enablePerformanceInsights: true, cloudwatchLogsExports: ['postgresql'],
  });
}
synth('CE012', 'bad', (s) => testDb(s, undefined));
synth('CE012', 'good', (s) => testDb(s, ['test', 'prod']));

// CE013: a bucket taking customer uploads with no rule aborting incomplete multipart uploads
function uploads(s, lifecycleRules) {
  new s3.Bucket(s, 'CustomerUploads', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, lifecycleRules });
}
synth('CE013', 'bad', (s) => uploads(s, undefined));
synth('CE013', 'good', (s) => uploads(s, [{ abortIncompleteMultipartUploadAfter: cdk.Duration.days(7) }]));

// CE014: queue workers whose roles read the queue, all On-Demand: a Fargate service and an
// Auto Scaling group; Fargate Spot and a Spot mixed-instances policy instead
const ecs = require('aws-cdk-lib/aws-ecs');
const sqs = require('aws-cdk-lib/aws-sqs');
function workers(s, spot) {
  const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', VPC_ATTRS);
  const queue = new sqs.Queue(s, 'Jobs', { enforceSSL: true });
  const cluster = new ecs.Cluster(s, 'Cluster', { vpc, containerInsights: true, enableFargateCapacityProviders: true });
  const task = new ecs.FargateTaskDefinition(s, 'ConsumerTask', { cpu: 1024, memoryLimitMiB: 2048 });
  task.addContainer('consumer', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.12'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'consumer',
      logGroup: new logs.LogGroup(s, 'ConsumerLogs', { retention: logs.RetentionDays.ONE_MONTH }) }) });
  queue.grantConsumeMessages(task.taskRole);
  new ecs.FargateService(s, 'Consumer', { cluster, taskDefinition: task, desiredCount: 3,
    ...(spot ? { capacityProviderStrategies: [{ capacityProvider: 'FARGATE', base: 1, weight: 0 },
      { capacityProvider: 'FARGATE_SPOT', weight: 1 }] } : {}) });
  const template = new ec2.LaunchTemplate(s, 'ThumbnailerTemplate', { instanceType: new ec2.InstanceType('c7g.large'),
    machineImage: ec2.MachineImage.latestAmazonLinux2023({ cpuType: ec2.AmazonLinuxCpuType.ARM_64 }),
    requireImdsv2: true, role: new iam.Role(s, 'ThumbnailerRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }),
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(20,
      { volumeType: ec2.EbsDeviceVolumeType.GP3, encrypted: true }) }] });
  queue.grantConsumeMessages(template.role);
  new autoscaling.AutoScalingGroup(s, 'Thumbnailer', { vpc, minCapacity: 1, maxCapacity: 10, desiredCapacity: 2,
    ...(spot ? { mixedInstancesPolicy: { launchTemplate: template,
      instancesDistribution: { onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0,
        spotAllocationStrategy: autoscaling.SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED },
      launchTemplateOverrides: [{ instanceType: new ec2.InstanceType('c7g.large') },
        { instanceType: new ec2.InstanceType('c6g.large') }] } } : { launchTemplate: template }) });
}
const iam = require('aws-cdk-lib/aws-iam');
synth('CE014', 'bad', (s) => workers(s, false));
synth('CE014', 'good', (s) => workers(s, true));

// CE009: one resource tagged for cost allocation, the others not; the whole app tagged with
// Tags.of() instead (the tags land on every resource)
function ledger(s) {
  new sqs.Queue(s, 'Orders', { enforceSSL: true });
  new dynamodb.Table(s, 'Ledger', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } });
}
synth('CE009', 'bad', (s) => {
  ledger(s);
  const q = s.node.findChild('Orders');
  for (const [k, v] of [['Environment', 'prod'], ['Team', 'orders'], ['CostCenter', 'cc-1234']]) cdk.Tags.of(q).add(k, v);
});
synth('CE009', 'good', (s) => {
  ledger(s);
  for (const [k, v] of [['Environment', 'prod'], ['Team', 'orders'], ['CostCenter', 'cc-1234']]) cdk.Tags.of(s).add(k, v);
});

// CE003: a function and a Fargate API service on x86_64; both on arm64 instead
function api(s, arm) {
  const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', VPC_ATTRS);
  const cluster = new ecs.Cluster(s, 'Cluster', { vpc, containerInsights: true });
  const task = new ecs.FargateTaskDefinition(s, 'ApiTask', { cpu: 1024, memoryLimitMiB: 2048,
    ...(arm ? { runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64,
      operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } } : {}) });
  task.addContainer('api', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'api',
      logGroup: new logs.LogGroup(s, 'ApiLogs', { retention: logs.RetentionDays.ONE_MONTH }) }) });
  new ecs.FargateService(s, 'Api', { cluster, taskDefinition: task, desiredCount: 2 });
}
synth('CE003', 'bad', (s) => { fn(s, 'Resize'); api(s, false); });
synth('CE003', 'good', (s) => { fn(s, 'Resize', { architecture: lambda.Architecture.ARM_64 }); api(s, true); });

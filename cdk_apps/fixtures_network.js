// Synthesizes the CDK fixtures of the multi-az (AZ), private-data-stores (NET) and
// egress-cost (CST) checks: tests/fixtures/<ID>/bad.cdk.out and good.cdk.out.
// Run: cd cdk_apps && node fixtures_network.js
// The AZ lookup comes from cdk.context.json, so synth writes real AZ names offline.
// No assets: VPCs keep their default security group as is (no custom resource Lambda).
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const rds = require('aws-cdk-lib/aws-rds');
const s3 = require('aws-cdk-lib/aws-s3');
const autoscaling = require('aws-cdk-lib/aws-autoscaling');
const cloudfront = require('aws-cdk-lib/aws-cloudfront');
const elasticache = require('aws-cdk-lib/aws-elasticache');
const origins = require('aws-cdk-lib/aws-cloudfront-origins');

const env = { account: '123456789012', region: 'us-east-1' };
const FIXTURES = path.join(__dirname, '..', 'tests', 'fixtures');
const context = JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.context.json'), 'utf8'));

function synth(id, stem, build) {
  const outdir = path.join(FIXTURES, id, `${stem}.cdk.out`);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new cdk.App({ outdir, context, analyticsReporting: false });
  const stack = new cdk.Stack(app, `${id}${stem[0].toUpperCase()}${stem.slice(1)}`, {
    env, synthesizer: new cdk.DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
  });
  build(stack);
  app.synth();
  fs.rmSync(path.join(outdir, 'validation-report.json'), { force: true });
}

// A VPC over two AZs. `good` VPCs carry an S3 gateway endpoint and a NAT gateway per AZ.
function vpc(stack, { natGateways = 2, s3Endpoint = true } = {}) {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways,
    restrictDefaultSecurityGroup: false,
    gatewayEndpoints: s3Endpoint ? { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } } : {},
  });
}

function database(stack, v, props = {}) {
  return new rds.DatabaseInstance(stack, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    vpc: v,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    multiAz: true,
    storageEncrypted: true,
    backupRetention: cdk.Duration.days(7),
    deletionProtection: true,
    ...props,
  });
}

function privateBucket(stack, id, props = {}) {
  return new s3.Bucket(stack, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    ...props,
  });
}

// ---- multi-az ------------------------------------------------------------------------------
// AZ001: an RDS instance without Multi-AZ
synth('AZ001', 'bad', (s) => database(s, vpc(s), { multiAz: false }));
synth('AZ001', 'good', (s) => database(s, vpc(s)));

// AZ002: an Aurora cluster with a writer and no reader
function aurora(stack, v, readers) {
  return new rds.DatabaseCluster(stack, 'Aurora', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    vpc: v,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    writer: rds.ClusterInstance.provisioned('Writer'),
    readers,
    storageEncrypted: true,
    backup: { retention: cdk.Duration.days(7) },
    deletionProtection: true,
  });
}
synth('AZ002', 'bad', (s) => aurora(s, vpc(s), []));
synth('AZ002', 'good', (s) => aurora(s, vpc(s), [rds.ClusterInstance.provisioned('Reader')]));

// AZ003: a Redis replication group with a single node
function redis(stack, v, props) {
  const group = new elasticache.CfnSubnetGroup(stack, 'CacheSubnets', {
    description: 'private', subnetIds: v.privateSubnets.map((sn) => sn.subnetId),
  });
  return new elasticache.CfnReplicationGroup(stack, 'Sessions', {
    replicationGroupDescription: 'sessions',
    engine: 'redis',
    cacheNodeType: 'cache.t4g.small',
    cacheSubnetGroupName: group.ref,
    atRestEncryptionEnabled: true,
    transitEncryptionEnabled: true,
    snapshotRetentionLimit: 7,
    ...props,
  });
}
synth('AZ003', 'bad', (s) => redis(s, vpc(s), { numCacheClusters: 1 }));
synth('AZ003', 'good', (s) => redis(s, vpc(s), { numCacheClusters: 2, automaticFailoverEnabled: true,
  multiAzEnabled: true }));

// AZ004: an Auto Scaling group whose subnets sit in one AZ
function asg(stack, v, subnets) {
  return new autoscaling.AutoScalingGroup(stack, 'Workers', {
    vpc: v,
    vpcSubnets: subnets,
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
    machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }),
    minCapacity: 2,
    maxCapacity: 4,
    requireImdsv2: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: autoscaling.BlockDeviceVolume.ebs(20, { encrypted: true }) }],
  });
}
synth('AZ004', 'bad', (s) => {
  const v = vpc(s);
  asg(s, v, { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, availabilityZones: ['us-east-1a'] });
});
synth('AZ004', 'good', (s) => asg(s, vpc(s), { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }));

// AZ006: one NAT gateway for private subnets in two AZs
synth('AZ006', 'bad', (s) => vpc(s, { natGateways: 1 }));
synth('AZ006', 'good', (s) => vpc(s));

// ---- private-data-stores -----------------------------------------------------------------
// NET001: a database with a public endpoint (in private subnets: the flag alone)
synth('NET001', 'bad', (s) => database(s, vpc(s), { publiclyAccessible: true }));
synth('NET001', 'good', (s) => database(s, vpc(s), { publiclyAccessible: false }));

// NET002: a database in public subnets behind a security group open to the world on 5432
function dbSecurityGroup(stack, v, peer) {
  const sg = new ec2.SecurityGroup(stack, 'DbSg', { vpc: v, description: 'database', allowAllOutbound: false });
  sg.addIngressRule(peer, ec2.Port.tcp(5432), 'postgres');
  return sg;
}
synth('NET002', 'bad', (s) => {
  const v = vpc(s);
  database(s, v, { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    securityGroups: [dbSecurityGroup(s, v, ec2.Peer.anyIpv4())] });
});
synth('NET002', 'good', (s) => {
  const v = vpc(s);
  const app = new ec2.SecurityGroup(s, 'AppSg', { vpc: v, description: 'application' });
  database(s, v, { securityGroups: [dbSecurityGroup(s, v, app)] });
});

// NET005: a bucket policy that lets anyone read
synth('NET005', 'bad', (s) => {
  privateBucket(s, 'Assets', { publicReadAccess: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS });
});
synth('NET005', 'good', (s) => {
  const site = privateBucket(s, 'Site');
  new cloudfront.Distribution(s, 'Cdn', {
    defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
    defaultRootObject: 'index.html',
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
  });
});

// NET006: a bucket whose public access block leaves bucket policies unblocked
synth('NET006', 'bad', (s) => privateBucket(s, 'Reports', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS }));
synth('NET006', 'good', (s) => privateBucket(s, 'Reports'));

// NET007: a security group open to the world on MySQL, attached to nothing yet
synth('NET007', 'bad', (s) => {
  const v = vpc(s);
  const sg = new ec2.SecurityGroup(s, 'LegacyDbSg', { vpc: v, description: 'legacy database access' });
  sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(3306), 'mysql from anywhere');
});
synth('NET007', 'good', (s) => {
  const v = vpc(s);
  const web = new ec2.SecurityGroup(s, 'WebSg', { vpc: v, description: 'web' });
  web.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'https');
  const db = new ec2.SecurityGroup(s, 'DbSg', { vpc: v, description: 'database' });
  db.addIngressRule(web, ec2.Port.tcp(3306), 'mysql from web');
});

// ---- egress-cost ---------------------------------------------------------------------------
// CST001: private subnets reach S3 through NAT, no gateway endpoint
synth('CST001', 'bad', (s) => vpc(s, { s3Endpoint: false }));
synth('CST001', 'good', (s) => vpc(s));

// CST003: the NAT gateway in one AZ carries the other AZ's egress
synth('CST003', 'bad', (s) => vpc(s, { natGateways: 1 }));
synth('CST003', 'good', (s) => vpc(s));

// CST005: a public website bucket with no CloudFront in front
synth('CST005', 'bad', (s) => {
  privateBucket(s, 'Site', { websiteIndexDocument: 'index.html', publicReadAccess: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS });
});
synth('CST005', 'good', (s) => {
  const site = privateBucket(s, 'Site');
  new cloudfront.Distribution(s, 'Cdn', {
    defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
    defaultRootObject: 'index.html',
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
  });
});

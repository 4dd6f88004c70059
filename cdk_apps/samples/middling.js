// The "middling" CDK sample: sample_stacks/cdk/middling/cdk.out. Run: node cdk_apps/samples/middling.js
// A Fargate service behind an HTTPS ALB, Multi-AZ Postgres with a generated secret, Redis
// with failover, a private bucket. Gaps: one NAT for two AZs, no gateway endpoints, Redis
// without TLS, no alarms or access logs, no deletion protection, unversioned bucket.
const cdk = require('aws-cdk-lib');
const acm = require('aws-cdk-lib/aws-certificatemanager');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');
const elasticache = require('aws-cdk-lib/aws-elasticache');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const rds = require('aws-cdk-lib/aws-rds');
const s3 = require('aws-cdk-lib/aws-s3');
const { env, makeApp, synth } = require('./common');

class OrdersStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });   // one NAT to save money

    const uploads = new s3.Bucket(this, 'Uploads', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc });
    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate',
      'arn:aws:acm:us-east-1:123456789012:certificate/4f1c2a9e-1111-2222-3333-444455556666');
    const service = new patterns.ApplicationLoadBalancedFargateService(this, 'Web', {
      cluster,
      desiredCount: 2,
      cpu: 512,
      memoryLimitMiB: 1024,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificate,
      sslPolicy: elbv2.SslPolicy.TLS13_RES,
      redirectHTTP: true,
      taskImageOptions: {
        image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2'),
        containerPort: 8080,
        environment: { UPLOADS_BUCKET: uploads.bucketName },
      },
    });
    uploads.grantReadWrite(service.taskDefinition.taskRole);

    const db = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      credentials: rds.Credentials.fromGeneratedSecret('orders'),
      multiAz: true,
      storageEncrypted: true,
      backupRetention: cdk.Duration.days(7),
      deletionProtection: false,
    });
    db.connections.allowDefaultPortFrom(service.service);
    db.secret.grantRead(service.taskDefinition.taskRole);

    const cacheSg = new ec2.SecurityGroup(this, 'CacheSg', { vpc, description: 'redis from the service' });
    cacheSg.addIngressRule(service.service.connections.securityGroups[0], ec2.Port.tcp(6379));
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'private subnets', subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
    });
    new elasticache.CfnReplicationGroup(this, 'SessionCache', {
      replicationGroupDescription: 'sessions',
      engine: 'redis',
      cacheNodeType: 'cache.t3.small',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      cacheSubnetGroupName: cacheSubnets.ref,
      securityGroupIds: [cacheSg.securityGroupId],
    });
  }
}

const app = makeApp('middling');
new OrdersStack(app, 'OrdersMiddling', { env });
synth(app);

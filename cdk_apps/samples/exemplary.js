// The "exemplary" CDK sample: sample_stacks/cdk/exemplary/cdk.out. Run: node cdk_apps/samples/exemplary.js
// Three AZs with a NAT gateway each and S3/DynamoDB gateway endpoints; a Fargate service
// behind a TLS-only ALB with access logs; Aurora PostgreSQL (writer + reader) and Redis in
// isolated subnets reached only from the service; one customer-managed key for everything
// at rest; secrets generated in Secrets Manager; flow logs, alarms, backups.
const cdk = require('aws-cdk-lib');
const acm = require('aws-cdk-lib/aws-certificatemanager');
const backup = require('aws-cdk-lib/aws-backup');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const elasticache = require('aws-cdk-lib/aws-elasticache');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const kms = require('aws-cdk-lib/aws-kms');
const logs = require('aws-cdk-lib/aws-logs');
const rds = require('aws-cdk-lib/aws-rds');
const s3 = require('aws-cdk-lib/aws-s3');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');
const sns = require('aws-cdk-lib/aws-sns');
const subscriptions = require('aws-cdk-lib/aws-sns-subscriptions');
const { env, makeApp, synth } = require('./common');

class OrdersStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const key = new kms.Key(this, 'DataKey', {
      description: 'orders data at rest', enableKeyRotation: true, removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    key.grantEncryptDecrypt(new cdk.aws_iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`));

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key });
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      natGateways: 3,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup) } },
    });

    // Logs bucket: ALB access logs need SSE-S3.
    const logBucket = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: cdk.Duration.days(400), noncurrentVersionExpiration: cdk.Duration.days(30) }],
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    const uploads = new s3.Bucket(this, 'Uploads', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: logBucket,
      serverAccessLogsPrefix: 's3/uploads/',
      lifecycleRules: [{ noncurrentVersionExpiration: cdk.Duration.days(90),
        abortIncompleteMultipartUploadAfter: cdk.Duration.days(7) }],
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });

    // Data tier: isolated subnets, reachable from the service's security group only.
    const dbSg = new ec2.SecurityGroup(this, 'DatabaseSg', { vpc, description: 'Aurora', allowAllOutbound: false });
    const cacheSg = new ec2.SecurityGroup(this, 'CacheSg', { vpc, description: 'Redis', allowAllOutbound: false });
    const db = new rds.DatabaseCluster(this, 'Database', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [dbSg],
      writer: rds.ClusterInstance.provisioned('writer', {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        enablePerformanceInsights: true, performanceInsightEncryptionKey: key,
      }),
      readers: [rds.ClusterInstance.provisioned('reader', {
        instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        enablePerformanceInsights: true, performanceInsightEncryptionKey: key,
      })],
      credentials: rds.Credentials.fromGeneratedSecret('orders', { encryptionKey: key }),
      storageEncrypted: true,
      storageEncryptionKey: key,
      backup: { retention: cdk.Duration.days(14), preferredWindow: '03:00-04:00' },
      deletionProtection: true,
      iamAuthentication: true,
      cloudwatchLogsExports: ['postgresql'],
      removalPolicy: cdk.RemovalPolicy.SNAPSHOT,
    });

    const cacheToken = new secretsmanager.Secret(this, 'CacheAuthToken', {
      encryptionKey: key, generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'isolated subnets', subnetIds: vpc.isolatedSubnets.map((s) => s.subnetId),
    });
    const cache = new elasticache.CfnReplicationGroup(this, 'SessionCache', {
      replicationGroupDescription: 'sessions',
      engine: 'redis',
      cacheNodeType: 'cache.t4g.small',
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: true,
      kmsKeyId: key.keyId,
      transitEncryptionEnabled: true,
      authToken: cacheToken.secretValue.unsafeUnwrap(),   // a {{resolve:secretsmanager}} reference, not a literal
      snapshotRetentionLimit: 7,
      cacheSubnetGroupName: cacheSubnets.ref,
      securityGroupIds: [cacheSg.securityGroupId],
    });

    // App tier: Fargate tasks in private subnets over three AZs behind a TLS-only ALB.
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    const appLogs = new logs.LogGroup(this, 'AppLogs', { retention: logs.RetentionDays.THREE_MONTHS, encryptionKey: key });
    const taskDef = new ecs.FargateTaskDefinition(this, 'TaskDef', { cpu: 512, memoryLimitMiB: 1024,
      // the image is built for arm64 and amd64
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX } });
    taskDef.addContainer('app', {
      image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2'),
      portMappings: [{ containerPort: 8443 }],
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ logGroup: appLogs, streamPrefix: 'app' }),
      environment: { UPLOADS_BUCKET: uploads.bucketName, DB_HOST: db.clusterEndpoint.hostname },
      secrets: {
        DB_CREDENTIALS: ecs.Secret.fromSecretsManager(db.secret),
        REDIS_AUTH: ecs.Secret.fromSecretsManager(cacheToken),
      },
    });
    uploads.grantReadWrite(taskDef.taskRole, 'uploads/*');

    const appSg = new ec2.SecurityGroup(this, 'AppSg', { vpc, description: 'tasks' });
    const service = new ecs.FargateService(this, 'Service', {
      cluster, taskDefinition: taskDef, desiredCount: 3, securityGroups: [appSg],
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      circuitBreaker: { rollback: true },
    });
    dbSg.addIngressRule(appSg, ec2.Port.tcp(5432), 'postgres from the app tier');
    cacheSg.addIngressRule(appSg, ec2.Port.tcp(6379), 'redis from the app tier');

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      vpc, internetFacing: true, deletionProtection: true, dropInvalidHeaderFields: true,
    });
    alb.logAccessLogs(logBucket, 'alb');
    const certificate = acm.Certificate.fromCertificateArn(this, 'Certificate',
      'arn:aws:acm:us-east-1:123456789012:certificate/4f1c2a9e-1111-2222-3333-444455556666');
    const https = alb.addListener('Https', {
      port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [certificate],
      sslPolicy: elbv2.SslPolicy.TLS13_RES,
    });
    const targetGroup = https.addTargets('App', {
      port: 8443, protocol: elbv2.ApplicationProtocol.HTTPS, targets: [service],
      healthCheck: { path: '/health', protocol: elbv2.Protocol.HTTPS },
    });
    alb.addRedirect({ sourcePort: 80, targetPort: 443 });

    // Alarms to on-call.
    const topic = new sns.Topic(this, 'Alarms', { masterKey: key });
    topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
    const notify = new actions.SnsAction(topic);
    const alarms = [
      alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: cdk.Duration.minutes(1) })
        .createAlarm(this, 'Alb5xx', { threshold: 10, evaluationPeriods: 5 }),
      targetGroup.metrics.unhealthyHostCount().createAlarm(this, 'UnhealthyHosts', { threshold: 1, evaluationPeriods: 3 }),
      service.metricCpuUtilization().createAlarm(this, 'ServiceCpu', { threshold: 80, evaluationPeriods: 3 }),
      db.metricCPUUtilization().createAlarm(this, 'DatabaseCpu', { threshold: 80, evaluationPeriods: 3 }),
      new cloudwatch.Metric({
        namespace: 'AWS/ElastiCache', metricName: 'EngineCPUUtilization',
        dimensionsMap: { ReplicationGroupId: cache.ref },
      }).createAlarm(this, 'CacheCpu', { threshold: 75, evaluationPeriods: 3 }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(notify);

    // Backups beyond Aurora's own: daily, 35 days, in a vault encrypted with the data key.
    const vault = new backup.BackupVault(this, 'Vault', { encryptionKey: key, removalPolicy: cdk.RemovalPolicy.RETAIN });
    const plan = backup.BackupPlan.daily35DayRetention(this, 'Backups', vault);
    plan.addSelection('Data', { resources: [backup.BackupResource.fromRdsDatabaseCluster(db)] });
  }
}

const app = makeApp('exemplary');
new OrdersStack(app, 'OrdersExemplary', { env });
synth(app);

// A senior CDK submission: Fargate behind an HTTPS ALB in three AZs, Aurora Serverless v2
// writer + reader with a generated secret, gateway endpoints, alarms, flow logs.
const cdk = require('aws-cdk-lib');
const acm = require('aws-cdk-lib/aws-certificatemanager');
const cloudwatch = require('aws-cdk-lib/aws-cloudwatch');
const actions = require('aws-cdk-lib/aws-cloudwatch-actions');
const ec2 = require('aws-cdk-lib/aws-ec2');
const ecs = require('aws-cdk-lib/aws-ecs');
const patterns = require('aws-cdk-lib/aws-ecs-patterns');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const logs = require('aws-cdk-lib/aws-logs');
const rds = require('aws-cdk-lib/aws-rds');
const s3 = require('aws-cdk-lib/aws-s3');
const sns = require('aws-cdk-lib/aws-sns');
const { env, makeApp, synth } = require('./common');

class PaymentsStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 3,
      natGateways: 3,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogs', {
        retention: logs.RetentionDays.ONE_MONTH })),
    });

    const logBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });

    const db = new rds.DatabaseCluster(this, 'Db', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_15_4 }),
      writer: rds.ClusterInstance.serverlessV2('writer'),
      readers: [rds.ClusterInstance.serverlessV2('reader', { scaleWithWriter: true })],
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      credentials: rds.Credentials.fromGeneratedSecret('payments'),
      storageEncrypted: true,
      backup: { retention: cdk.Duration.days(14) },
      deletionProtection: true,
      removalPolicy: cdk.RemovalPolicy.SNAPSHOT,
    });

    const cluster = new ecs.Cluster(this, 'Cluster', { vpc, containerInsights: true });
    const certificate = acm.Certificate.fromCertificateArn(this, 'Cert',
      'arn:aws:acm:us-east-1:123456789012:certificate/0d6c7a3b-aaaa-bbbb-cccc-1234567890ab');
    const service = new patterns.ApplicationLoadBalancedFargateService(this, 'Api', {
      cluster,
      desiredCount: 3,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificate,
      sslPolicy: elbv2.SslPolicy.TLS13_RES,
      redirectHTTP: true,
      taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      taskImageOptions: {
        image: ecs.ContainerImage.fromRegistry('123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:2.1.0'),
        containerPort: 8080,
        secrets: { DB_SECRET: ecs.Secret.fromSecretsManager(db.secret) },
      },
    });
    service.loadBalancer.logAccessLogs(logBucket, 'alb');
    db.connections.allowDefaultPortFrom(service.service);

    const topic = new sns.Topic(this, 'Alerts');
    new cloudwatch.Alarm(this, 'Api5xx', {
      metric: service.loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
      threshold: 10, evaluationPeriods: 3,
    }).addAlarmAction(new actions.SnsAction(topic));
    new cloudwatch.Alarm(this, 'DbCpu', {
      metric: db.metricCPUUtilization(), threshold: 80, evaluationPeriods: 3,
    }).addAlarmAction(new actions.SnsAction(topic));
  }
}

const app = makeApp('cdk-fargate-service');
new PaymentsStack(app, 'Payments', { env });
synth(app);

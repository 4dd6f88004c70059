// The "poor" CDK sample: sample_stacks/cdk/poor/cdk.out. Run: node cdk_apps/samples/poor.js
// A one-instance web app: public single-AZ database open to the world, admin IAM,
// hardcoded credentials, one NAT, no endpoints, no encryption, backups or logs.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const elbv2 = require('aws-cdk-lib/aws-elasticloadbalancingv2');
const targets = require('aws-cdk-lib/aws-elasticloadbalancingv2-targets');
const elasticache = require('aws-cdk-lib/aws-elasticache');
const iam = require('aws-cdk-lib/aws-iam');
const rds = require('aws-cdk-lib/aws-rds');
const s3 = require('aws-cdk-lib/aws-s3');
const { env, makeApp, synth } = require('./common');

class OrdersStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });

    const webSg = new ec2.SecurityGroup(this, 'WebSg', { vpc });
    webSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTcp());
    const dbSg = new ec2.SecurityGroup(this, 'DbSg', { vpc });
    dbSg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(5432));

    const role = new iam.Role(this, 'WebRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));

    const db = new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      publiclyAccessible: true,
      securityGroups: [dbSg],
      multiAz: false,
      storageEncrypted: false,
      backupRetention: cdk.Duration.days(0),
      deletionProtection: false,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
      credentials: rds.Credentials.fromPassword('orders', cdk.SecretValue.unsafePlainText('Orders-Passw0rd-2024')),
    });

    const userData = ec2.UserData.forLinux();
    userData.addCommands(
      'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
      'export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      `export DATABASE_URL=postgres://orders:Orders-Passw0rd-2024@${db.dbInstanceEndpointAddress}:5432/orders`,
      '/opt/orders/start.sh',
    );
    const web = new ec2.Instance(this, 'Web', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM),
      machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0c02fb55956c7d316' }),
      securityGroup: webSg,
      role,
      userData,
    });

    const cacheSubnets = new elasticache.CfnSubnetGroup(this, 'CacheSubnets', {
      description: 'cache', subnetIds: [vpc.publicSubnets[0].subnetId],
    });
    new elasticache.CfnCacheCluster(this, 'SessionCache', {
      engine: 'redis', cacheNodeType: 'cache.t3.micro', numCacheNodes: 1,
      cacheSubnetGroupName: cacheSubnets.ref, vpcSecurityGroupIds: [webSg.securityGroupId],
    });

    new s3.Bucket(this, 'Uploads', {
      publicReadAccess: true,
      blockPublicAccess: new s3.BlockPublicAccess({
        blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false,
      }),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc, internetFacing: true, securityGroup: webSg });
    alb.addListener('Http', { port: 80, open: true })
      .addTargets('Web', { port: 80, targets: [new targets.InstanceTarget(web)] });

    const deployer = new iam.User(this, 'Deployer');
    deployer.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    new iam.AccessKey(this, 'DeployerKey', { user: deployer });
  }
}

const app = makeApp('poor');
new OrdersStack(app, 'OrdersPoor', { env });
synth(app);

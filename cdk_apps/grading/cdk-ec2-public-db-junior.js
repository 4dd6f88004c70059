// A junior CDK submission: one EC2 web server and a Postgres instance in public subnets,
// the database open to the world, the password written in the code.
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const rds = require('aws-cdk-lib/aws-rds');
const { env, makeApp, synth } = require('./common');

class ShopStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2, natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    const sg = new ec2.SecurityGroup(this, 'Open', { vpc });
    sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.allTcp());
    new ec2.Instance(this, 'Web', {
      vpc, securityGroup: sg,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }),
    });
    new rds.DatabaseInstance(this, 'Db', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_15 }),
      vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, publiclyAccessible: true,
      securityGroups: [sg],
      credentials: rds.Credentials.fromPassword('shop', cdk.SecretValue.unsafePlainText('Sh0pPassw0rd!2024')),
      storageEncrypted: false,
      backupRetention: cdk.Duration.days(1),
      removalPolicy: cdk.RemovalPolicy.DESTROY,
      deletionProtection: false,
    });
  }
}

const app = makeApp('cdk-ec2-public-db-junior');
new ShopStack(app, 'Shop', { env });
synth(app);

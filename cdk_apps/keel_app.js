// Synthesizes tests/data/cdk_stage_app/cdk.out: a stack at the top level and one inside a
// Stage (a nested cloud assembly), with construct traces (CDK_DEBUG=true) so findings can
// point at this file's lines. Run: CDK_DEBUG=true node keel_app.js
const path = require('path');
const cdk = require('aws-cdk-lib');
const ec2 = require('aws-cdk-lib/aws-ec2');
const rds = require('aws-cdk-lib/aws-rds');

const outdir = path.join(__dirname, '..', 'tests', 'data', 'cdk_stage_app', 'cdk.out');
const env = { account: '123456789012', region: 'us-east-1' };
const app = new cdk.App({ outdir, context: {
  'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c'],
} });

class DataStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 1 });
    new rds.DatabaseInstance(this, 'Database', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      multiAz: false,
      storageEncrypted: true,
    });
  }
}

new DataStack(app, 'TopLevel', { env });
const stage = new cdk.Stage(app, 'Prod', { env });
new DataStack(stage, 'Data', { env });
app.synth();

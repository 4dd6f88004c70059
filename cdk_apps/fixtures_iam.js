// Synthesizes the CDK fixtures of the least-privilege (IAM) and secrets (SEC) checks:
// tests/fixtures/<ID>/bad.cdk.out and good.cdk.out, one small stack each, no assets.
// Run: cd cdk_apps && node fixtures_iam.js
// The secrets below are fake (generated for the fixtures); tests assert no report shows them.
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const sqs = require('aws-cdk-lib/aws-sqs');
const sns = require('aws-cdk-lib/aws-sns');
const subs = require('aws-cdk-lib/aws-sns-subscriptions');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const secretsmanager = require('aws-cdk-lib/aws-secretsmanager');

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

// A small Lambda function with inline code (no asset), DLQ and tracing so that only the
// property under test differs between the bad and the good fixture.
function fn(stack, props = {}) {
  const dlq = new sqs.Queue(stack, 'FnDlq', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.PYTHON_3_12,
    handler: 'index.handler',
    code: lambda.Code.fromInline('def handler(event, context):\n    return event\n'),
    tracing: lambda.Tracing.ACTIVE,
    deadLetterQueue: dlq,
    ...props,
  });
}

// IAM001: Action "*" on Resource "*"
synth('IAM001', 'bad', (s) => {
  fn(s).addToRolePolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
});
synth('IAM001', 'good', (s) => {
  const table = new dynamodb.Table(s, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
  table.grantReadWriteData(fn(s));
});

// IAM003: AdministratorAccess on the role a Lambda function runs as
synth('IAM003', 'bad', (s) => {
  const role = new iam.Role(s, 'FnRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'),
    ],
  });
  fn(s, { role });
});
synth('IAM003', 'good', (s) => {
  const role = new iam.Role(s, 'FnRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
  });
  fn(s, { role });
});

// IAM009: a queue anyone may send to
synth('IAM009', 'bad', (s) => {
  const queue = new sqs.Queue(s, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  queue.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()], actions: ['sqs:SendMessage'], resources: [queue.queueArn],
  }));
});
synth('IAM009', 'good', (s) => {
  const queue = new sqs.Queue(s, 'Jobs', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  const topic = new sns.Topic(s, 'Events', { masterKey: undefined, enforceSSL: true });
  topic.addSubscription(new subs.SqsSubscription(queue));
});

// SEC002: a Secrets Manager secret whose value is written in the code
synth('SEC002', 'bad', (s) => {
  new secretsmanager.Secret(s, 'GithubSecret', {
    secretStringValue: cdk.SecretValue.unsafePlainText('ghp_qSixBA6MOhp1S5x9VCSA6uzhF2u6ko9BdW4V'),
  });
});
synth('SEC002', 'good', (s) => {
  new secretsmanager.Secret(s, 'GithubSecret', {
    generateSecretString: { passwordLength: 40, excludePunctuation: true },
  });
});

// SEC003: literal secrets in Lambda environment variables
synth('SEC003', 'bad', (s) => {
  fn(s, { environment: { TABLE_NAME: 'orders', STRIPE_API_KEY: 'sk_live_n9j4qrZWYRHmyGHsdjRj5svs', DB_PASSWORD: 'Tr1cky-Pa55w0rd-2024' } });
});
synth('SEC003', 'good', (s) => {
  const secret = new secretsmanager.Secret(s, 'StripeKey', { generateSecretString: { passwordLength: 40 } });
  const f = fn(s, { environment: { TABLE_NAME: 'orders', STRIPE_API_KEY_SECRET_ARN: secret.secretArn } });
  secret.grantRead(f);
});

// SEC006: a NoEcho parameter with a literal default
synth('SEC006', 'bad', (s) => {
  const pw = new cdk.CfnParameter(s, 'DbPassword', { type: 'String', noEcho: true, default: 'Tr1cky-Pa55w0rd-2024' });
  new ssmParam(s, pw);
});
synth('SEC006', 'good', (s) => {
  const pw = new cdk.CfnParameter(s, 'DbPassword', { type: 'String', noEcho: true });
  new ssmParam(s, pw);
});

// a resource consuming the parameter (a CloudFormation-managed secret built from it)
function ssmParam(s, pw) {
  return new secretsmanager.CfnSecret(s, 'DbSecret', { secretString: pw.valueAsString });
}

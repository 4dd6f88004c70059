// A mid CDK submission: REST API + Lambda + DynamoDB, working but with gaps: the function's
// role gets dynamodb:* on every table, no PITR, no tracing, no alarms, an unversioned bucket.
const cdk = require('aws-cdk-lib');
const apigw = require('aws-cdk-lib/aws-apigateway');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const s3 = require('aws-cdk-lib/aws-s3');
const { env, makeApp, synth } = require('./common');

class NotesStack extends cdk.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);
    const table = new dynamodb.Table(this, 'Notes', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
    });
    const attachments = new s3.Bucket(this, 'Attachments', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: cdk.RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    const fn = new lambda.Function(this, 'NotesFn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      environment: { TABLE: table.tableName, BUCKET: attachments.bucketName },
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    attachments.grantReadWrite(fn);
    new apigw.LambdaRestApi(this, 'NotesApi', { handler: fn });
  }
}

const app = makeApp('cdk-lambda-api-mid');
new NotesStack(app, 'Notes', { env });
synth(app);

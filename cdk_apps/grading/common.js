// Shared by the grading-case apps: an App writing tests/grading_cases/<name>/cdk.out with the
// AZ lookup from ../samples/cdk.context.json (offline), and the samples' synth() that drops
// assets and construct traces. Run: node cdk_apps/grading/<name>.js
process.env.CDK_DISABLE_STACK_TRACE = '1';
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');
const { env, synth } = require('../samples/common');

function makeApp(name) {
  const outdir = path.join(__dirname, '..', '..', 'tests', 'grading_cases', name, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'samples', 'cdk.context.json'), 'utf8'));
  return new cdk.App({ outdir, context, analyticsReporting: false });
}

module.exports = { env, makeApp, synth };

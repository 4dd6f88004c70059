// Shared by the sample apps: an App that writes sample_stacks/cdk/<level>/cdk.out with the
// AZ lookup from cdk.context.json (so real AZ names are synthesized, offline), and a
// synth() that drops asset folders (the samples must not carry bundled code).
// No stack traces: they hold absolute paths of the machine that ran the synth, and the
// committed assemblies (and the reports made from them) must not depend on it.
process.env.CDK_DISABLE_STACK_TRACE = '1';
const fs = require('fs');
const path = require('path');
const cdk = require('aws-cdk-lib');

const env = { account: '123456789012', region: 'us-east-1' };

function makeApp(level) {
  const outdir = path.join(__dirname, '..', '..', 'sample_stacks', 'cdk', level, 'cdk.out');
  fs.rmSync(outdir, { recursive: true, force: true });
  const context = JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.context.json'), 'utf8'));
  return new cdk.App({ outdir, context, analyticsReporting: false });
}

function synth(app) {
  const assembly = app.synth();
  for (const entry of fs.readdirSync(assembly.directory)) {
    if (entry.startsWith('asset.') || entry === 'validation-report.json') {
      fs.rmSync(path.join(assembly.directory, entry), { recursive: true, force: true });
    }
  }
  // Drop construct stack traces: they hold this machine's absolute paths.
  for (const entry of fs.readdirSync(assembly.directory)) {
    if (!entry.endsWith('.json')) continue;
    const file = path.join(assembly.directory, entry);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(path.sep + 'cdk_apps' + path.sep)) continue;
    fs.writeFileSync(file, JSON.stringify(stripTraces(JSON.parse(text)), null, 2) + '\n');
  }
  return assembly;
}

function stripTraces(value) {
  if (Array.isArray(value)) {
    return value.filter((v) => !(v && v.type === 'aws:cdk:creationStack')).map(stripTraces);
  }
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== 'trace') out[k] = stripTraces(v);
    }
    return out;
  }
  return value;
}

module.exports = { env, makeApp, synth };

from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, facet_path

from ._common import evidence, from_default, judge


class SecretInLambdaEnvironment(Check):
    """Flags a Lambda environment variable holding a literal secret: a secret-looking name
    (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`, `CLIENT_SECRET`) with a fixed value, or any
    value in a known token format (AWS key, Slack/GitHub/Stripe token, private key).

    Variables holding a secret's ARN or name, an SSM parameter path, or a value resolved at
    deploy time (`{{resolve:...}}`, a Ref) are fine.

    Template placeholders (`<your-api-key>`, `REPLACE_ME`) hold no secret and are not
    flagged; a weak but usable literal (`changeme`) is. The value is shown only redacted.

    ## Why is this bad?
    Environment variables are shown in clear text to anyone with `lambda:GetFunction` or
    console access, appear in the template and the state, and are easily logged by the
    function itself. Rotating the secret means redeploying.

    ## Example
        Environment:
          Variables:
            STRIPE_API_KEY: sk_live_...

    ## Use instead
        Environment:
          Variables:
            STRIPE_API_KEY_SECRET_ARN: !Ref StripeApiKeySecret   # read at runtime, cached
    """

    id = "SEC003"
    name = "secret-in-lambda-environment"
    severity = Severity.HIGH
    title = "Literal secret in a Lambda environment variable"
    kinds = ("lambda_function",)
    fix = "Store the secret in Secrets Manager or SSM SecureString and pass its ARN/name; read it at runtime (e.g. the Parameters and Secrets extension)."
    references = ("https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for fn in ctx.resources("lambda_function"):
            env = facet(fn, "environment")
            if not isinstance(env, dict):
                continue
            base = facet_path(fn, "environment")
            for name, value in env.items():
                reasons = judge(name, value)
                if not reasons or from_default(ctx, fn, value):
                    continue
                yield self.finding(fn, f"Lambda function {fn.name} has a literal secret in environment variable {name} "
                                       f"({', '.join(reasons)})",
                                   at=tuple(base) + (name,), evidence=evidence(name, value, reasons))

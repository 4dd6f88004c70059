from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Path_, Resource, Severity
from archreview.secrets import looks_secret_name

from ._common import evidence, from_default, judge, native, walk_literals

# Properties other SEC checks own (environment, containers, user data, SSM values).
_ELSEWHERE: dict[str, tuple[tuple[str, ...], ...]] = {
    "lambda_function": (("Environment",), ("environment",)),
    "ecs_task_definition": (("ContainerDefinitions",), ("container_definitions",)),
    "ec2_instance": (("UserData",), ("user_data",), ("user_data_base64",)),
    "launch_template": (("LaunchTemplateData", "UserData"), ("user_data",)),
    "launch_configuration": (("UserData",), ("user_data",), ("user_data_base64",)),
    "ssm_parameter": (("Value",), ("value",), ("insecure_value",)),
}
_CRITICAL = {"AWS Access Key", "Private Key"}


# cfn-init metadata: credentials for fetching sources, and files/commands written on the instance
_META = "\0metadata"
_CFN_META = ("AWS::CloudFormation::Authentication", "AWS::CloudFormation::Init")


def _literals(res: Resource) -> Iterator[tuple[Path_, object, str]]:
    """Literal strings of a resource's properties, then of its cfn-init metadata (paths under
    the metadata start with a marker; they point at the `Metadata` section)."""
    yield from walk_literals(res.props)
    meta = res.metadata.get("Metadata")
    for key in _CFN_META:
        if isinstance(meta, dict) and isinstance(meta.get(key), (dict, list)):
            for path, name, value in walk_literals(meta[key], ("Metadata", key), key):
                yield (_META,) + tuple(path), name, value


def _skipped(res: Resource, path: Path_) -> bool:
    return any(tuple(path[:len(p)]) == p for p in _ELSEWHERE.get(res.kind, ()))


class LiteralSecretInResourceProperty(Check):
    """Flags a literal credential in a resource property: a database master password
    (RDS, Aurora, Redshift, DocumentDB, Neptune), an ElastiCache auth token, a broker,
    directory or login-profile password, a webhook or OAuth token, a secret string, or any
    value in a known token format (AWS access key, private key, GitHub/Slack/Stripe token).
    CloudFormation's cfn-init metadata (`AWS::CloudFormation::Authentication` credentials,
    `AWS::CloudFormation::Init` files and commands) is read too.

    Name-based detection (`MasterUserPassword`, `auth_token`, `SecretString`...) needs a
    fixed literal value. Not findings: dynamic references (`{{resolve:secretsmanager:...}}`,
    `{{resolve:ssm-secure:...}}`), `ManageMasterUserPassword`, references to a Secrets
    Manager secret or an SSM parameter, variables without defaults, and `${...}`
    placeholders, and template placeholders meant to be replaced (`<your-password>`,
    `REPLACE_ME`, `xxxx`: they hold no secret). A weak literal ("changeme", "password123")
    is still flagged: it is what would be deployed. Only AWS resources are examined.
    A value that comes from a parameter or variable default is reported once, on that
    default (SEC006). The value never appears in the output, only a redacted form.

    ## Why is this bad?
    A literal password lives in the repository history, every clone, the CloudFormation
    template stored by AWS and the Terraform state, readable by anyone who can read any of
    them, and it cannot be rotated without a code change.

    ## Example
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUsername: app
            MasterUserPassword: Pr0d-Passw0rd!

    ## Use instead
        Database:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUsername: app
            ManageMasterUserPassword: true   # or '{{resolve:secretsmanager:db:SecretString:password}}'
    """

    id = "SEC002"
    name = "literal-secret-in-resource-property"
    severity = Severity.HIGH
    title = "Literal credential in a resource property"
    kinds = ("rds_instance", "rds_cluster", "cache_replication_group", "secretsmanager_secret",
             "secretsmanager_secret_version")
    fix = "Let the service manage the secret (ManageMasterUserPassword) or read it from Secrets Manager / SSM SecureString; rotate the exposed value."
    references = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for res in ctx.resources():
            if not res.type.startswith(("aws_", "AWS::")):      # other clouds are out of scope
                continue
            seen: set[str] = set()                      # one finding per property name
            for path, name, value in _literals(res):
                if _skipped(res, path):
                    continue
                if isinstance(name, int) or name is None:
                    name = next((p for p in reversed(path) if isinstance(p, str)), "")
                if str(name) in seen:
                    continue
                reasons = judge(name, value)
                if not reasons or from_default(ctx, res, value):
                    continue
                seen.add(str(name))
                what = "a value in a known credential format" if reasons[0] != "secret-named value" else "a literal value"
                yield self.finding(
                    res, f"{res.name} sets {name} to {what} ({', '.join(reasons)})",
                    at=path[1:] if path[:1] == (_META,) else native(res, path),
                    severity=Severity.CRITICAL if _CRITICAL & set(reasons) else None,
                    evidence=evidence(name, value, reasons, property="/".join(map(str, path))))


__all__ = ["LiteralSecretInResourceProperty", "looks_secret_name"]

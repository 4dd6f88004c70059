from __future__ import annotations

from typing import Any, Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet, facet_path, is_tf

from ._common import evidence, from_default, json_or_value, judge


def _get(d: dict[str, Any], key: str) -> Any:
    return d.get(key, d.get(key[:1].upper() + key[1:]))


class SecretInContainerEnvironment(Check):
    """Flags an ECS container definition whose `environment` holds a literal secret: a
    secret-looking name with a fixed value, or a value in a known token format.

    The container `secrets` list (`valueFrom` a Secrets Manager secret or SSM parameter) is
    the right place and is never flagged.

    Template placeholders (`<your-api-key>`, `REPLACE_ME`) hold no secret and are not
    flagged; a weak but usable literal (`changeme`) is. The value is shown only redacted.

    ## Why is this bad?
    Plain environment values are stored in the task definition, visible to anyone who can
    describe it, copied into every revision and shown in the console.

    ## Example
        ContainerDefinitions:
          - Name: api
            Environment:
              - Name: DB_PASSWORD
                Value: s3cr3t-pa55

    ## Use instead
        ContainerDefinitions:
          - Name: api
            Secrets:
              - Name: DB_PASSWORD
                ValueFrom: !Ref DbPasswordSecret
    """

    id = "SEC004"
    name = "secret-in-container-environment"
    severity = Severity.HIGH
    title = "Literal secret in an ECS container environment variable"
    kinds = ("ecs_task_definition",)
    fix = "Move the value to Secrets Manager or SSM SecureString and reference it from the container's `secrets` (ValueFrom)."
    references = ("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for task in ctx.resources("ecs_task_definition"):
            containers = json_or_value(facet(task, "containers"))
            if not isinstance(containers, list):
                continue
            base = facet_path(task, "containers")
            for ci, container in enumerate(containers):
                if not isinstance(container, dict):
                    continue
                env = _get(container, "environment")
                if not isinstance(env, list):
                    continue
                for ei, item in enumerate(env):
                    if not isinstance(item, dict):
                        continue
                    name, value = _get(item, "name"), _get(item, "value")
                    reasons = judge(name, value)
                    if not reasons or from_default(ctx, task, value):
                        continue
                    cname = _get(container, "name")
                    at = tuple(base) if is_tf(task) else tuple(base) + (ci, "Environment", ei, "Value")
                    yield self.finding(
                        task, f"Container {cname or ci} of {task.name} has a literal secret in environment variable {name} "
                              f"({', '.join(reasons)})",
                        at=at, evidence=evidence(name, value, reasons, container=str(cname or ci)))

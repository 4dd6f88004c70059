"""OBS013: an API Gateway REST stage with execution logging off."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Resource, Severity, Unknown
from archreview.views import facet
from archreview.views.storage import rest_stages

_ON = ("INFO", "ERROR")


class ApiStageWithoutExecutionLogs(Check):
    """Flags an API Gateway REST API stage (`AWS::ApiGateway::Stage`,
    `aws_api_gateway_stage`) whose execution logging is off: no `MethodSettings` entry for
    `/*` `*` with `LoggingLevel` INFO or ERROR in CloudFormation and SAM, and no
    `aws_api_gateway_method_settings` for the stage with `method_path = "*/*"` and
    `logging_level` INFO or ERROR in Terraform (matched by reference or by API and stage
    name, in any file of the module; settings whose API cannot be resolved, such as one
    looked up with a `data` source in another root, count for the stage of that name). A
    stage whose API is in another stack (`Fn::ImportValue`, a variable) is judged on its own
    `MethodSettings`, and the evidence says the API was not in the scan. A level that cannot
    be resolved is never a finding. HTTP APIs (v2) have no
    execution logs; their access logs are OBS009's. A deployment that creates its stage
    itself (`StageName` on `AWS::ApiGateway::Deployment`, `stage_name` on
    `aws_api_gateway_deployment`) is judged the same way, on its
    `StageDescription.LoggingLevel` or `MethodSettings` in CloudFormation, and on method
    settings naming that stage in Terraform.

    ## Why is this bad?
    Access logs say that a request failed; execution logs say why: the authorizer's
    decision, the integration's error, the mapping template that threw. Without them a 5xx
    from the backend is a guess.

    ## Example
        resource "aws_api_gateway_stage" "prod" {
          stage_name    = "prod"
          rest_api_id   = aws_api_gateway_rest_api.orders.id
          deployment_id = aws_api_gateway_deployment.orders.id
        }

    ## Use instead
        resource "aws_api_gateway_method_settings" "all" {
          rest_api_id = aws_api_gateway_rest_api.orders.id
          stage_name  = aws_api_gateway_stage.prod.stage_name
          method_path = "*/*"
          settings {
            logging_level   = "ERROR"
            metrics_enabled = true
          }
        }
    """

    id = "OBS013"
    name = "api-stage-without-execution-logs"
    severity = Severity.LOW
    title = "API Gateway REST stage has execution logging off"
    kinds = ("api_stage", "api_deployment")
    fix = ("Turn on execution logging for every method: MethodSettings [{ResourcePath: '/*', HttpMethod: '*', "
           "LoggingLevel: ERROR}] or aws_api_gateway_method_settings with method_path '*/*'.")
    references = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for stage in rest_stages(ctx):
            levels = [facet(stage, "execution_log_level")] + [facet(m, "log_level") for m in self._settings(ctx, stage)]
            if any(isinstance(v, Unknown) or (isinstance(v, str) and v.upper() in _ON) for v in levels):
                continue
            if any(v is not None and not isinstance(v, str) for v in levels):
                continue          # a reference or an expression: not knowable
            name = facet(stage, "name")
            label = f"{stage.name} ({name})" if isinstance(name, str) and name != stage.name else stage.name
            shown = next((v for v in levels if isinstance(v, str)), None)
            evidence = {"logging_level": shown or "OFF (default)"}
            if ctx.graph.resolve(stage, facet(stage, "rest_api")) is None:
                # the API lives elsewhere (Fn::ImportValue, a variable, a data source): the
                # stage's own settings are all there is to judge, and the finding says so
                evidence["rest_api"] = "not in this scan: only the stage's own settings were read"
            yield self.finding(stage, f"API Gateway stage {label} has execution logging "
                                      f"{'set to ' + shown if shown else 'off'}",
                               at="execution_log_level", evidence=evidence)

    @staticmethod
    def _settings(ctx: Context, stage: Resource) -> list[Resource]:
        """Method settings for every method (`*/*`) of this stage: by reference, or by stage
        name for the same API. Settings in another file of the module resolve like any
        reference; settings whose API this scan cannot resolve (a `data` source, a variable,
        another root) are taken as this stage's when the stage name matches, rather than
        calling a stage unlogged that may well be logged."""
        api = ctx.graph.resolve(stage, facet(stage, "rest_api"))
        name = facet(stage, "name")
        out = []
        for m in ctx.resources("api_method_settings"):
            path = facet(m, "method_path")
            if path not in ("*/*", None) and not isinstance(path, Unknown):
                continue
            target = facet(m, "stage")
            if ctx.graph.resolve(m, target) is stage:
                out.append(m)
            elif isinstance(target, str) and target == name:
                their_api = ctx.graph.resolve(m, facet(m, "rest_api"))
                if their_api is None or their_api is api:
                    out.append(m)
        return out

from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet
from archreview.views.storage import rest_stages


class ApiStageWithoutAccessLogs(Check):
    """Flags an API Gateway stage (REST or HTTP API) with no access logging.

    `AccessLogSetting` / `AccessLogSettings` (Terraform `access_log_settings`) names the log
    destination; without it the stage keeps no per-request log. Execution logging (method
    settings) is a debugging aid and does not replace it. A destination that cannot be
    resolved counts as set. A deployment that creates its stage itself (`StageName` on
    `AWS::ApiGateway::Deployment`, `stage_name` on `aws_api_gateway_deployment`) is a stage
    too: in CloudFormation its `StageDescription.AccessLogSetting` counts; in Terraform such a
    stage cannot have access logs at all, so declare an `aws_api_gateway_stage`. Low severity.

    ## Why is this bad?
    Without access logs there is no record of who called the API, from where, with which
    result and latency: nothing to investigate abuse, a credential leak or a spike of 4xx
    and 5xx, and nothing for usage analytics.

    ## Example
        Prod:
          Type: AWS::ApiGateway::Stage
          Properties:
            RestApiId: !Ref Api
            DeploymentId: !Ref Deployment
            StageName: prod

    ## Use instead
        Prod:
          Type: AWS::ApiGateway::Stage
          Properties:
            RestApiId: !Ref Api
            DeploymentId: !Ref Deployment
            StageName: prod
            TracingEnabled: true
            AccessLogSetting:
              DestinationArn: !GetAtt ApiAccessLogs.Arn
              Format: '$context.requestId $context.identity.sourceIp $context.status'
    """

    id = "OBS009"
    name = "api-stage-without-access-logs"
    severity = Severity.LOW
    title = "API Gateway stage has no access logs"
    kinds = ("api_stage", "api_deployment", "api_v2_stage")
    fix = "Set AccessLogSetting / access_log_settings with a CloudWatch Logs destination and a request format (requestId, sourceIp, status, latency)."
    references = ("https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for stage in rest_stages(ctx) + ctx.resources("api_v2_stage"):
            if facet(stage, "access_log_destination") is None:
                name = facet(stage, "name")
                label = f"{stage.name} ({name})" if isinstance(name, str) and name != stage.name else stage.name
                evidence: dict[str, object] = {"access_log_destination": None}
                if stage.kind != "api_v2_stage" and ctx.graph.resolve(stage, facet(stage, "rest_api")) is None:
                    evidence["rest_api"] = "not in this scan: only the stage's own settings were read"
                yield self.finding(stage, f"API Gateway stage {label} keeps no access logs",
                                   at="access_log_destination", evidence=evidence)

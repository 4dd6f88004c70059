"""API Gateway stages whose API, deployment or method settings live in another file, module,
Terraform root or CloudFormation stack (OBS013 execution logs, OBS009 access logs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archreview.engine import analyze

API_TF = '''
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}
'''
STAGE_TF = '''
resource "aws_api_gateway_stage" "prod" {
  stage_name    = "prod"
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "d1"
}
'''
SETTINGS_TF = '''
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level = "ERROR"
  }
}
'''


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _found(root: Path, rule: str) -> list[tuple[str, str, int, dict]]:
    result = analyze([root], select=(rule,))
    assert not result.errors, [e.as_dict() for e in result.errors]
    return [(f.resource, f.location.file, f.location.line, f.evidence) for f in result.findings]


def test_method_settings_in_another_file_of_the_module(tmp_path: Path) -> None:
    _write(tmp_path, {"api.tf": API_TF, "stage.tf": STAGE_TF, "logging.tf": SETTINGS_TF})
    assert _found(tmp_path, "OBS013") == []
    (tmp_path / "logging.tf").unlink()
    assert [(r, f, ln) for r, f, ln, _ in _found(tmp_path, "OBS013")] == [("aws_api_gateway_stage.prod", "stage.tf", 2)]


def test_method_settings_in_another_module(tmp_path: Path) -> None:
    _write(tmp_path, {
        "main.tf": '''
module "api" {
  source = "./modules/api"
}
module "logging" {
  source      = "./modules/logging"
  rest_api_id = module.api.rest_api_id
  stage_name  = module.api.stage_name
}
''',
        "modules/api/main.tf": API_TF + STAGE_TF + '''
output "rest_api_id" { value = aws_api_gateway_rest_api.orders.id }
output "stage_name" { value = aws_api_gateway_stage.prod.stage_name }
''',
        "modules/logging/main.tf": '''
variable "rest_api_id" { type = string }
variable "stage_name" { type = string }
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = var.rest_api_id
  stage_name  = var.stage_name
  method_path = "*/*"
  settings {
    logging_level = "INFO"
  }
}
'''})
    assert _found(tmp_path, "OBS013") == []


def test_method_settings_in_another_root_found_by_stage_name(tmp_path: Path) -> None:
    """The API and its stage in one root, the logging settings in another that looks the API
    up with a data source: the scan cannot prove the join, so it does not call the stage
    unlogged; a settings block for another stage name does not count."""
    ops = '''
data "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = data.aws_api_gateway_rest_api.orders.id
  stage_name  = "%s"
  method_path = "*/*"
  settings {
    logging_level = "ERROR"
  }
}
'''
    _write(tmp_path, {"api/main.tf": API_TF + STAGE_TF, "ops/main.tf": ops % "prod"})
    assert _found(tmp_path, "OBS013") == []
    (tmp_path / "ops/main.tf").write_text(ops % "staging")
    assert [r for r, *_ in _found(tmp_path, "OBS013")] == ["aws_api_gateway_stage.prod"]


API_CFN = '''AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: orders
Outputs:
  ApiId:
    Value: !Ref Api
    Export:
      Name: orders-api-id
'''
STAGE_CFN = '''AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Deployment:
    Type: AWS::ApiGateway::Deployment
    Properties:
      RestApiId: !ImportValue orders-api-id
  Prod:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !ImportValue orders-api-id
      DeploymentId: !Ref Deployment
      StageName: prod
%s'''
LOGGED = '''      AccessLogSetting:
        DestinationArn: arn:aws:logs:us-east-1:111122223333:log-group:orders-access
        Format: "$context.requestId $context.status"
      MethodSettings:
        - ResourcePath: "/*"
          HttpMethod: "*"
          LoggingLevel: ERROR
'''


def test_cloudformation_stage_on_an_imported_api(tmp_path: Path) -> None:
    """A stage in another stack than its API (Fn::ImportValue) is judged on its own settings,
    and the finding says the API was not in the scan."""
    _write(tmp_path, {"api.yaml": API_CFN, "stage.yaml": STAGE_CFN % ""})
    for rule in ("OBS013", "OBS009"):
        (found,) = _found(tmp_path, rule)
        assert found[:3] == ("Prod", "stage.yaml", 7)
        assert "not in this scan" in found[3]["rest_api"]
    (tmp_path / "stage.yaml").write_text(STAGE_CFN % LOGGED)
    assert _found(tmp_path, "OBS013") == [] and _found(tmp_path, "OBS009") == []


DEPLOYMENT_TF = '''
resource "aws_api_gateway_deployment" "live" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = "live"
}
'''


def test_a_deployment_that_creates_its_stage_is_judged_as_a_stage(tmp_path: Path) -> None:
    """`stage_name` on a Terraform deployment creates a stage: method settings that name it
    (by reference or by name, in another file) log it; without them it is unlogged."""
    _write(tmp_path, {"api.tf": API_TF, "deploy.tf": DEPLOYMENT_TF})
    assert [(r, f, ln) for r, f, ln, _ in _found(tmp_path, "OBS013")] == [
        ("aws_api_gateway_deployment.live", "deploy.tf", 2)]
    by_reference = SETTINGS_TF.replace("aws_api_gateway_stage.prod.stage_name", "aws_api_gateway_deployment.live.stage_name")
    _write(tmp_path, {"logging.tf": by_reference})
    assert _found(tmp_path, "OBS013") == []
    _write(tmp_path, {"logging.tf": by_reference.replace("aws_api_gateway_deployment.live.stage_name", '"live"')})
    assert _found(tmp_path, "OBS013") == []


@pytest.mark.parametrize("stage", ["", '  stage_name  = ""\n',
                                   '  stage_name  = var.stage\n}\nvariable "stage" {\n  default = ""\n'])
def test_a_deployment_without_a_stage_name_is_not_a_stage(tmp_path: Path, stage: str) -> None:
    _write(tmp_path, {"api.tf": API_TF, "deploy.tf": DEPLOYMENT_TF.replace('  stage_name  = "live"\n', stage)})
    assert _found(tmp_path, "OBS013") == []
    assert _found(tmp_path, "OBS009") == []

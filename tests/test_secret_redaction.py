"""No output ever carries a credential found in the input.

Stacks seeded with real-looking credentials (AWS access key ids and secret keys, a private
key block, GitHub tokens, passwords) in the places they turn up in real repositories:
CloudFormation parameter defaults, Lambda environment variables, EC2 user data, Terraform
provider blocks, variable defaults and resource arguments. Every format in
report.FORMATS, and `archreview grade` in each of its formats, must show none of them
unredacted. The values are made up here at random (fixed seed) so no scanner allow-list
of documentation examples (AKIAIOSFODNN7EXAMPLE) can hide a leak.
"""

from __future__ import annotations

import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_rnd = random.Random(20261123)


def _pick(alphabet: str, n: int) -> str:
    return "".join(_rnd.choice(alphabet) for _ in range(n))


UPPER_DIGITS = string.ascii_uppercase + "234567"
B64 = string.ascii_letters + string.digits + "+/"
ALNUM = string.ascii_letters + string.digits

SECRETS = {
    "aws_key_id": "AKIA" + _pick(UPPER_DIGITS, 16),
    "aws_secret": _pick(B64, 40),
    "aws_key_id_tf": "AKIA" + _pick(UPPER_DIGITS, 16),
    "aws_secret_tf": _pick(B64, 40),
    "github_token": "ghp_" + _pick(ALNUM, 36),
    "github_token_tf": "ghp_" + _pick(ALNUM, 36),
    "db_password": "Xq7!" + _pick(ALNUM, 14) + "#9",
    "db_password_tf": "Pz4$" + _pick(ALNUM, 14) + "@2",
    "param_password": "Wm8%" + _pick(ALNUM, 14) + "&5",
    "userdata_password": "Lk3*" + _pick(ALNUM, 14) + "^7",
    "private_key_body": _pick(B64, 64),
}
PRIVATE_KEY = ("-----BEGIN RSA PRIVATE KEY-----\n" + SECRETS["private_key_body"] + "\n"
               + _pick(B64, 64) + "\n-----END RSA PRIVATE KEY-----")


CFN = f"""AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DbPassword:
    Type: String
    Default: "{SECRETS['param_password']}"
  GithubToken:
    Type: String
    Default: {SECRETS['github_token']}
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code:
        ZipFile: "def handler(e, c): return 1"
      Environment:
        Variables:
          AWS_ACCESS_KEY_ID: {SECRETS['aws_key_id']}
          AWS_SECRET_ACCESS_KEY: "{SECRETS['aws_secret']}"
          DB_PASSWORD: "{SECRETS['db_password']}"
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: "{SECRETS['db_password']}"
  Box:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0abcdef1234567890
      InstanceType: t3.micro
      UserData:
        Fn::Base64: |
          #!/bin/bash
          export DB_PASSWORD='{SECRETS['userdata_password']}'
          cat > /root/.ssh/id_rsa <<'KEY'
{chr(10).join('          ' + line for line in PRIVATE_KEY.splitlines())}
          KEY
"""

TF = f"""provider "aws" {{
  region     = "us-east-1"
  access_key = "{SECRETS['aws_key_id_tf']}"
  secret_key = "{SECRETS['aws_secret_tf']}"
}}

variable "db_password" {{
  type    = string
  default = "{SECRETS['db_password_tf']}"
}}

variable "github_token" {{
  default = "{SECRETS['github_token_tf']}"
}}

resource "aws_db_instance" "db" {{
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  password          = "{SECRETS['db_password_tf']}"
}}

resource "aws_instance" "box" {{
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #!/bin/bash
    export GITHUB_TOKEN={SECRETS['github_token_tf']}
    export AWS_SECRET_ACCESS_KEY={SECRETS['aws_secret_tf']}
  EOT
}}

resource "aws_lambda_function" "fn" {{
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  handler       = "index.handler"
  runtime       = "python3.12"
  filename      = "fn.zip"
  environment {{
    variables = {{
      GITHUB_TOKEN = "{SECRETS['github_token_tf']}"
      DB_PASSWORD  = var.db_password
    }}
  }}
}}
"""


def _leaks(text: str) -> list[str]:
    """The secrets visible in `text`: whole, or a long enough middle part of one."""
    found = []
    for name, value in SECRETS.items():
        middle = value[4:-4]
        if value in text or (len(middle) >= 8 and middle in text):
            found.append(name)
    return found


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seeded")
    (root / "cfn").mkdir()
    (root / "cfn" / "template.yaml").write_text(CFN)
    (root / "tf").mkdir()
    (root / "tf" / "main.tf").write_text(TF)
    return root


CHILD = r"""
import json, sys
from pathlib import Path
from archreview.engine import analyze
from archreview.report import FORMATS, renderer
result = analyze([Path(sys.argv[1])])
out = {"resources": sorted(r.address for r in result.stack.resources), "reports": {}}
for fmt in FORMATS:
    try:
        render = renderer(fmt)
    except Exception as exc:
        out["reports"][fmt] = None
        continue
    out["reports"][fmt] = render(result)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def reports(seeded: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, str(seeded)], capture_output=True, text=True,
                          cwd=str(seeded), timeout=300,
                          env={"PYTHONPATH": str(REPO), "ARCHREVIEW_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_the_seeded_stacks_load(reports: dict) -> None:
    assert {"Fn", "Db", "Box"} <= set(reports["resources"])
    assert {"aws_db_instance.db", "aws_instance.box", "aws_lambda_function.fn"} <= set(reports["resources"])


def _formats() -> list[str]:
    from archreview.report import FORMATS
    return list(FORMATS)


@pytest.mark.parametrize("fmt", _formats())
def test_no_report_format_leaks_a_secret(reports: dict, fmt: str) -> None:
    text = reports["reports"].get(fmt)
    if text is None:
        pytest.skip(f"format {fmt} has no renderer yet")
    leaks = _leaks(text)
    assert not leaks, f"{fmt} report shows {', '.join(leaks)} unredacted"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_grading_reports_do_not_leak(seeded: Path, fmt: str) -> None:
    from archreview import cli
    probe = subprocess.run([sys.executable, "-m", "archreview", "grade", "--help"], capture_output=True, text=True,
                           cwd=str(REPO), timeout=120)
    if probe.returncode != 0:
        pytest.skip("archreview grade is not available")
    del cli
    proc = subprocess.run([sys.executable, "-m", "archreview", "grade", str(seeded), "--format", fmt],
                          capture_output=True, text=True, cwd=str(seeded), timeout=300,
                          env={"PYTHONPATH": str(REPO), "ARCHREVIEW_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    leaks = _leaks(proc.stdout + proc.stderr)
    assert not leaks, f"grade --format {fmt} shows {', '.join(leaks)} unredacted"


def test_the_secrets_are_found_not_just_hidden(reports: dict) -> None:
    """The redaction tests mean something only if the secrets reach the reports as findings."""
    data = json.loads(reports["reports"]["json"])
    secret_findings = [f for f in data["findings"] if f["criterion"] == "secrets"]
    where = {f["resource"] for f in secret_findings}
    print(sorted(where))
    assert len(secret_findings) >= 5, where
    assert {"Fn", "Box"} & where and {"provider.aws", "aws_instance.box"} & where, where


def test_two_scans_in_one_process_do_not_cross_redact(tmp_path: Path) -> None:
    """A secret found in one stack is hidden in that stack's reports only: a second stack
    scanned in the same process (a grading batch, a diff, a long-lived tool) whose resource
    merely contains the same text is reported as it is."""
    from archreview.engine import analyze
    from archreview.report.text_report import render

    secret = "Blue2026OrdersTeam"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "db.cfn.yaml").write_text(f"""AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DbPassword:
    Type: String
    Default: "{secret}"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: mysql
      DBInstanceClass: db.t4g.small
      MasterUsername: admin
      MasterUserPassword: !Ref DbPassword
""")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "bucket.cfn.yaml").write_text(f"""AWSTemplateFormatVersion: "2010-09-09"
Resources:
  {secret}Uploads:
    Type: AWS::S3::Bucket
""")
    first = analyze([tmp_path / "a"])
    second = analyze([tmp_path / "b"])
    assert first.redacted == {secret}
    assert "SEC007" in {f.rule_id for f in first.findings}
    assert secret not in render(first, color=False)            # still hidden where it is a secret
    assert second.findings and {f.resource for f in second.findings} == {f"{secret}Uploads"}
    shown = render(second, color=False)
    assert f"{secret}Uploads" in shown and "redacted" not in shown
    assert secret not in render(first, color=False)            # and again after the other scan

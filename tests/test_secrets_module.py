"""archreview.secrets: token formats, secret names, literals, redaction; and no output ever
shows a secret from the SEC fixtures."""

from __future__ import annotations

import pytest

from archreview import secrets
from archreview.engine import analyze
from archreview.report import FORMATS, renderer
from tests.conftest import FIXTURES

# The fake secrets written in the bad fixtures (tests/fixtures/SEC*/bad.*, cdk_apps/fixtures_iam.js).
FAKE_SECRETS = [
    "AKIAIHB4WAD7JVGHH2WQ",
    "AKIAONNZ3RDAAU69U61A",
    "QmuduXtWaFjCnLBWyLZZyjplYjIto1hxPSIHHy3m",
    "ghp_qSixBA6MOhp1S5x9VCSA6uzhF2u6ko9BdW4V",
    "xoxb-055415590631-8600887372929-hX406rg9Zrm710aReA96SRJP",
    "sk_live_n9j4qrZWYRHmyGHsdjRj5svs",
    "Tr1cky-Pa55w0rd-2024",
    "Hunter2-Prod-Db!",
    "Hunter2-Prod-Dw!",
    "changeme-changeme-changeme",
]


@pytest.mark.parametrize("value,kind", [
    ("AKIAIHB4WAD7JVGHH2WQ", "AWS Access Key"),
    ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow...", "Private Key"),
    ("ghp_qSixBA6MOhp1S5x9VCSA6uzhF2u6ko9BdW4V", "GitHub Token"),
    ("xoxb-055415590631-8600887372929-hX406rg9Zrm710aReA96SRJP", "Slack Token"),
    ("sk_live_n9j4qrZWYRHmyGHsdjRj5svs", "Stripe Access Key"),
    ("postgres://app:S3cr3tPass@db.internal:5432/app", "Basic Auth Credentials"),
])
def test_scan_text_knows_token_formats(value: str, kind: str) -> None:
    assert kind in secrets.scan_text(value)


@pytest.mark.parametrize("value", [
    "hello world", "arn:aws:secretsmanager:us-east-1:123456789012:secret:db", "{{resolve:secretsmanager:db}}",
    "https://${Host}:${Password}@x", "ami-0abcdef1234567890", "", "db.internal.example.com",
])
def test_scan_text_ignores_ordinary_values(value: str) -> None:
    assert secrets.scan_text(value) == []


@pytest.mark.parametrize("name", ["MasterUserPassword", "master_password", "AuthToken", "auth_token", "DB_PASSWORD",
                                  "API_KEY", "apiKey", "client_secret", "SecretString", "GitHubOAuthToken", "private_key",
                                  "secret_key", "passwords", "DB_PASS", "AWS_SECRET_ACCESS_KEY",
                                  "aws_secret_access_key", "access_key", "SecretAccessKey", "refresh_token",
                                  "RefreshToken"])
def test_secret_names(name: str) -> None:
    assert secrets.looks_secret_name(name)


@pytest.mark.parametrize("name", ["PasswordLength", "secret_arn", "SecretName", "TokenValidity", "KeyName",
                                  "DbPasswordSecretArn", "ssm_password_parameter", "HttpTokens", "ClientToken",
                                  "NextToken", "TOKEN_TABLE", "password_reset_required", "pass", "ServiceToken",
                                  "AWS_ACCESS_KEY_ID", "access_key_id",
                                  "manage_master_user_password", "kms_encryption_key", "get_password_data", "TaskToken.$",
                                  "auth_token_update_strategy", ""])
def test_not_secret_names(name: str) -> None:
    assert not secrets.looks_secret_name(name)


@pytest.mark.parametrize("value,literal", [
    ("hunter2", True), ("changeme", True), ("{{resolve:secretsmanager:db:SecretString:password}}", False),
    ("{{resolve:ssm-secure:/db/pw:1}}", False), ("${DbPassword}", False), ("", False),
    ("arn:aws:secretsmanager:us-east-1:1:secret:x", False),
])
def test_is_literal(value: str, literal: bool) -> None:
    assert secrets.is_literal(value) is literal


def test_assignments_skip_shell_expansions() -> None:
    text = "export DB_PASSWORD=hunter22\nTOKEN=$(cat /run/token)\nAPI_KEY=${key}\nmysql --password s3cr3t"
    assert list(secrets.assignments(text)) == [("DB_PASSWORD", "hunter22"), ("password", "s3cr3t")]


def test_redact_hides_the_value() -> None:
    assert secrets.redact("AKIAIHB4WAD7JVGHH2WQ") == "AKIA****…(redacted, 20 chars)"
    assert "hunter2" not in secrets.redact("hunter2")
    for s in FAKE_SECRETS:
        assert s not in secrets.redact(s)


def _bad_fixtures() -> list:
    out = []
    for folder in sorted(FIXTURES.glob("SEC*")) + sorted(FIXTURES.glob("IAM*")):
        out.extend(p for p in sorted(folder.iterdir()) if p.name.startswith("bad") and not p.name.endswith(".expected.json"))
    return out


@pytest.mark.parametrize("path", _bad_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_output_shows_a_secret(path) -> None:
    result = analyze([path])
    if not any(f.rule_id.startswith("SEC") for f in result.findings):
        pytest.skip("no secrets finding in this fixture")
    for fmt in FORMATS:                       # every output format, present and future
        out = renderer(fmt)(result)
        for secret in FAKE_SECRETS:
            assert secret not in out, f"{fmt} output of {path.name} shows {secret[:4]}…"


def test_fake_secrets_are_used_in_fixtures() -> None:
    text = "\n".join(p.read_text() for p in _bad_fixtures() if p.is_file())
    assert all(s in text for s in FAKE_SECRETS[:8])


@pytest.mark.parametrize("value,placeholder", [
    ("<<Enter your APIKeyValue>>", True), ("<>", True), ("<PASSWORD_UPDATE_ME>", True), ("REPLACE_ME", True),
    ("xoxb-ENTER YOUR BOT'S ACCESS TOKEN HERE", True), ("xxxxxxxx", True), ("dummy-value", True),
    ("changeme", False), ("testBrokerPassword", False), ("Tr1cky-Pa55w0rd-2024", False),
])
def test_placeholders_are_not_secrets_but_weak_literals_are(value: str, placeholder: bool) -> None:
    assert secrets.is_placeholder(value) is placeholder
    assert secrets.is_literal_secret_value(value) is (not placeholder)


def test_scrub_redacts_quoted_lines() -> None:
    line = '  password = "Hunter2-Prod-Db!" # comment'
    assert "Hunter2-Prod-Db!" not in secrets.scrub(line)
    assert secrets.scrub("  password = var.db_password") == "  password = var.db_password"
    assert "ghp_qSix" not in secrets.scrub('token: "ghp_qSixBA6MOhp1S5x9VCSA6uzhF2u6ko9BdW4V"')


@pytest.mark.parametrize("value, found", [
    ("postgres://orders:Sup3rS3cretPassw0rd!@db.example.com:5432/orders", True),   # a sub-delimiter in it
    ("amqp://worker:p&ss(word)@mq.internal:5672/", True),
    ("postgres://orders:${DB_PASSWORD}@db.example.com/orders", False),            # an expansion
    ("https://example.com/path?x=1", False),
])
def test_url_passwords_with_any_characters(value: str, found: bool) -> None:
    assert ("Basic Auth Credentials" in secrets.scan_text(value)) is found


def _user_data_finding(tmp_path, *script: str):  # type: ignore[no-untyped-def]
    """The one SEC005 finding on an instance whose user data runs `script`."""
    lines = "".join(f"          {line}\n" for line in script)
    (tmp_path / "t.yaml").write_text("Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties:\n"
                                     "      ImageId: ami-12345678\n      UserData:\n        Fn::Base64: |\n"
                                     "          #!/bin/bash\n" + lines)
    (finding,) = analyze([tmp_path], select=("SEC005",)).findings
    return finding


def test_user_data_message_names_the_variable_and_keeps_its_parenthesis(tmp_path) -> None:
    finding = _user_data_finding(tmp_path, "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEYz")
    assert finding.message == "User data of Web contains a literal secret (a literal AWS_SECRET_ACCESS_KEY)"


def test_a_value_that_is_its_own_name_is_a_stand_in_not_a_secret(tmp_path) -> None:
    """`client_secret = "client_secret"` in an example is no credential, and redacting it
    would blank the property's name in every line shown."""
    (tmp_path / "main.tf").write_text('''resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::123456789012:role/f"
  environment {
    variables = {
      DB_PASSWORD   = "DB_PASSWORD"
      CLIENT_SECRET = "Zq8vN3kT5wPx"
    }
  }
}
''')
    findings = analyze([tmp_path], select=("SEC003",)).findings
    assert [f.message.split("environment variable ")[1].split(" ")[0] for f in findings] == ["CLIENT_SECRET"]
    assert secrets.scrub('  client_secret = "client_secret"') == '  client_secret = "client_secret"'
    assert "Zq8vN3kT5wPx" not in secrets.scrub('  client_secret = "Zq8vN3kT5wPx"')


def test_user_data_message_leads_with_what_makes_it_critical(tmp_path) -> None:
    finding = _user_data_finding(tmp_path, "DB_PASSWORD=Hx7vQ2pLm9", "API_TOKEN=Zt5yW8nB3c", "CLIENT_SECRET=Qr4mK7sD1f",
                                 "export SESSION_SECRET=Lp9xV2cN6j",
                                 "aws configure set aws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEYz")
    assert finding.severity.label == "critical"
    assert finding.message.startswith("User data of Web contains a literal secret (a literal aws_secret_access_key, ")
    assert finding.message.endswith(" and 1 more)")

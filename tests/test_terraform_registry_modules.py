"""Registry and git modules: reviewed from `.terraform/modules` after `terraform init`, and
reported as not reviewed (with the inputs a reviewer cares about) before it."""

from __future__ import annotations

import json
from pathlib import Path

from archreview.engine import analyze

CALLER = '''
variable "env" {
  default = "prod"
}

module "orders_db" {
  source                  = "terraform-aws-modules/rds/aws"
  version                 = "~> 6.0"
  identifier              = "orders-${var.env}"
  engine                  = "postgres"
  publicly_accessible     = true
  storage_encrypted       = false
  backup_retention_period = 0
  password                = "Orders-Db-Pw-2024"
  tags                    = { team = "orders" }
}

module "assets" {
  source     = "git::https://example.com/infra/s3-bucket.git?ref=v2.1.0"
  bucket     = "orders-assets"
  versioning = { enabled = false }
}
'''

# a stand-in for what `terraform init` would have downloaded: written here, not copied
DOWNLOADED_DB = '''
variable "identifier" {}
variable "engine" {}
variable "publicly_accessible" {
  default = false
}
variable "storage_encrypted" {
  default = true
}
variable "backup_retention_period" {
  default = 7
}
variable "password" {
  default = null
}
variable "tags" {
  default = {}
}

resource "aws_db_instance" "this" {
  identifier              = var.identifier
  engine                  = var.engine
  instance_class          = "db.t4g.micro"
  publicly_accessible     = var.publicly_accessible
  storage_encrypted       = var.storage_encrypted
  backup_retention_period = var.backup_retention_period
  password                = var.password
  tags                    = var.tags
}

module "params" {
  source = "./modules/params"
  family = "postgres16"
}
'''

NESTED = '''
variable "family" {}
resource "aws_db_parameter_group" "this" {
  name   = "orders"
  family = var.family
}
'''


def _write(root: Path, manifest: list[dict] | None) -> Path:
    app = root / "app"
    app.mkdir()
    (app / "main.tf").write_text(CALLER)
    if manifest is not None:
        db = app / ".terraform" / "modules" / "orders_db"
        (db / "modules" / "params").mkdir(parents=True)
        (db / "main.tf").write_text(DOWNLOADED_DB)
        (db / "modules" / "params" / "main.tf").write_text(NESTED)
        (app / ".terraform" / "modules" / "modules.json").write_text(json.dumps({"Modules": manifest}))
    return app


def test_unfetched_modules_are_unresolved_with_the_inputs_a_reviewer_needs(tmp_path: Path) -> None:
    app = _write(tmp_path, None)
    result = analyze([app])
    by_what = {u.what: u for u in result.stack.unresolved}
    db = by_what["module.orders_db"]
    assert "registry module" in db.reason and "not reviewed" in db.reason and db.line == 6
    assert "publicly_accessible = true" in db.notes
    assert "storage_encrypted = false" in db.notes
    assert "backup_retention_period = 0" in db.notes
    assert not any(n.startswith("tags") for n in db.notes)        # not a reviewer's question
    password = next(n for n in db.notes if n.startswith("password"))
    assert "Orders-Db-Pw-2024" not in password and "redacted" in password
    assets = by_what["module.assets"]
    assert "git module" in assets.reason
    assert "versioning = {enabled = false}" in assets.notes
    assert not result.findings or all(not f.resource.startswith("module.orders_db") for f in result.findings)


def test_downloaded_modules_are_reviewed_like_local_ones(tmp_path: Path) -> None:
    app = _write(tmp_path, [
        {"Key": "", "Source": "", "Dir": "."},
        {"Key": "orders_db", "Source": "registry.terraform.io/terraform-aws-modules/rds/aws", "Version": "6.10.0",
         "Dir": ".terraform/modules/orders_db"},
        {"Key": "orders_db.params", "Source": "./modules/params", "Dir": ".terraform/modules/orders_db/modules/params"},
    ])
    result = analyze([app])
    addresses = {r.address for r in result.stack.resources}
    assert "module.orders_db.aws_db_instance.this" in addresses
    assert "module.orders_db.module.params.aws_db_parameter_group.this" in addresses
    got = {(f.rule_id, f.resource) for f in result.findings}
    assert ("NET001", "module.orders_db.aws_db_instance.this") in got      # publicly accessible, from the call
    assert ("ENC001", "module.orders_db.aws_db_instance.this") in got
    assert ("DR001", "module.orders_db.aws_db_instance.this") in got
    # the module author's variable declarations are not the caller's findings
    assert not any(".var." in f.resource for f in result.findings)
    # the git module was not downloaded: still reported as not reviewed
    assert [u.what for u in result.stack.unresolved] == ["module.assets"]


def test_a_manifest_pointing_outside_the_scan_is_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "main.tf").write_text(DOWNLOADED_DB)
    app = _write(tmp_path, [{"Key": "orders_db", "Source": "x/y/aws", "Dir": "../elsewhere"}])
    result = analyze([app])
    assert not any(r.address.startswith("module.orders_db") for r in result.stack.resources)
    assert "module.orders_db" in {u.what for u in result.stack.unresolved}

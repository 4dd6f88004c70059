"""ENC017: Glue Data Catalog encryption settings that leave the catalog or connection passwords in clear."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class GlueDataCatalogNotEncrypted(Check):
    """Flags the Glue Data Catalog encryption settings of an account and region
    (`AWS::Glue::DataCatalogEncryptionSettings`, `aws_glue_data_catalog_encryption_settings`)
    when they leave the catalog unencrypted (`CatalogEncryptionMode` DISABLED or absent) or
    let Glue return connection passwords in clear (`ReturnConnectionPasswordEncrypted` false
    or absent). Both are off unless set. Only declared settings are judged: a stack that
    does not manage the account's catalog settings says nothing about them. A value that
    cannot be resolved is never a finding.

    Glue jobs' own security configurations are not judged here: what they write goes to S3
    (encrypted by default since January 2023) and CloudWatch Logs (encrypted by the service).

    ## Why is this bad?
    The catalog holds the schema of every table and the JDBC connections with their
    passwords. Without catalog encryption they are not under a KMS key whose policy decides
    who reads them; without password encryption `GetConnection` hands the database password
    in clear to anyone allowed to describe the connection.

    ## Example
        resource "aws_glue_data_catalog_encryption_settings" "this" {
          data_catalog_encryption_settings {
            encryption_at_rest {
              catalog_encryption_mode = "DISABLED"
            }
            connection_password_encryption {
              return_connection_password_encrypted = false
            }
          }
        }

    ## Use instead
        resource "aws_glue_data_catalog_encryption_settings" "this" {
          data_catalog_encryption_settings {
            encryption_at_rest {
              catalog_encryption_mode = "SSE-KMS"
              sse_aws_kms_key_id      = aws_kms_key.catalog.arn
            }
            connection_password_encryption {
              return_connection_password_encrypted = true
              aws_kms_key_id                       = aws_kms_key.catalog.arn
            }
          }
        }
    """

    id = "ENC017"
    name = "glue-data-catalog-not-encrypted"
    severity = Severity.MEDIUM
    title = "Glue Data Catalog or its connection passwords are not encrypted"
    kinds = ("glue_catalog_encryption",)
    fix = ("Set CatalogEncryptionMode / catalog_encryption_mode to SSE-KMS and ReturnConnectionPasswordEncrypted / "
           "return_connection_password_encrypted to true, with a KMS key.")
    references = ("https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html",
                  "https://docs.aws.amazon.com/glue/latest/dg/encrypt-connection-passwords.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for settings in ctx.resources("glue_catalog_encryption"):
            mode = facet(settings, "catalog_encryption_mode")
            if isinstance(mode, str) and mode.upper() == "DISABLED":
                yield self.finding(settings, f"Glue Data Catalog settings {settings.name} leave the catalog "
                                             "unencrypted at rest", at="catalog_encryption_mode",
                                   evidence={"catalog_encryption_mode": mode})
            if facet(settings, "connection_password_encrypted") is False:
                yield self.finding(settings, f"Glue Data Catalog settings {settings.name} return connection "
                                             "passwords in clear", at="connection_password_encrypted",
                                   evidence={"return_connection_password_encrypted": False})

"""NET012: an AWS Transfer Family server with a PUBLIC endpoint."""
from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import as_list, facet


class TransferServerPublicEndpoint(Check):
    """Flags an AWS Transfer Family server (`AWS::Transfer::Server`, `aws_transfer_server`)
    whose `EndpointType` / `endpoint_type` is `PUBLIC`, written or by default (both
    CloudFormation and the Terraform provider default to it). A value that cannot be
    resolved is never a finding, nor is a server that lists FTP or FTPS: AWS offers those
    only on VPC endpoints, so such a server cannot be created as written.

    A PUBLIC endpoint is reachable from every address on the internet and takes no
    security group: nothing in the stack can narrow who may try to log in. A `VPC` endpoint
    keeps the server private to the VPC, or, with Elastic IPs, internet-facing behind a
    security group that lists the partners' addresses. Criterion `private-data-stores`: the
    server is the door to the buckets or file systems it serves.

    ## Why is this bad?
    SFTP and FTPS logins on a public endpoint are open to password spraying and key
    guessing from anywhere, and a leaked partner key works from anywhere too. The files
    behind it are usually exchanged with a few known partners, whose addresses a security
    group could name.

    ## Example
        resource "aws_transfer_server" "partners" {
          protocols              = ["SFTP"]
          identity_provider_type = "SERVICE_MANAGED"
        }

    ## Use instead
        resource "aws_transfer_server" "partners" {
          protocols              = ["SFTP"]
          identity_provider_type = "SERVICE_MANAGED"
          endpoint_type          = "VPC"
          endpoint_details {
            vpc_id                 = aws_vpc.main.id
            subnet_ids             = [aws_subnet.public_a.id, aws_subnet.public_b.id]
            address_allocation_ids = [aws_eip.sftp_a.id, aws_eip.sftp_b.id]
            security_group_ids     = [aws_security_group.partners_only.id]
          }
        }
    """

    id = "NET012"
    name = "transfer-server-public-endpoint"
    severity = Severity.MEDIUM
    title = "Transfer Family server has a public endpoint no security group can restrict"
    kinds = ("transfer_server",)
    fix = ("Use EndpointType VPC / endpoint_type = \"VPC\": internal, or internet-facing with Elastic IPs and a "
           "security group that admits only the partners' addresses.")
    references = ("https://docs.aws.amazon.com/transfer/latest/userguide/create-server-in-vpc.html",
                  "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-transfer-server.html")

    def run(self, ctx: Context) -> Iterator[Finding]:
        for server in ctx.resources("transfer_server"):
            endpoint = facet(server, "endpoint_type")
            if not (isinstance(endpoint, str) and endpoint.upper() == "PUBLIC"):
                continue
            protocols = [p for p in as_list(facet(server, "protocols")) if isinstance(p, str)] or ["SFTP"]
            if any(p.upper() in ("FTP", "FTPS") for p in protocols):
                continue          # AWS offers FTP/FTPS only on VPC endpoints: this server cannot be created
            yield self.finding(server, f"Transfer Family server {server.name} has a PUBLIC endpoint: "
                                       f"{'/'.join(protocols)} logins are open to the whole internet and no "
                                       "security group can narrow them",
                               at="endpoint_type",
                               evidence={"endpoint_type": endpoint, "protocols": protocols,
                                         "identity_provider": facet(server, "identity_provider")})

"""CST005: S3 content served straight to the internet, with no CloudFront in front."""
from __future__ import annotations

from typing import Iterator

from archreview import cost
from archreview.check import Check, Context
from archreview.views.s3 import blocked, public_acl, public_statements
from archreview.model import Finding, Ref, Severity, Unknown
from archreview.views import facet

READS = ("s3:getobject", "s3:get*", "s3:*", "*")


class PublicS3WithoutCloudfront(Check):
    """Flags an S3 bucket whose objects are readable by anyone (a public-read ACL or a bucket
    policy granting `s3:GetObject` to `Principal: "*"`) and that no CloudFront distribution in
    the configuration uses as an origin.

    A distribution whose origin domain cannot be resolved counts as possibly fronting the
    bucket. The estimate compares internet egress from S3 with CloudFront egress (after its
    always-free 1 TB a month) for `cost.internet_gb_month` GB (1000 by default), priced from
    `archreview/data/prices.json`; it leaves out the S3 GET requests a cache would absorb.

    ## Why is this bad?
    Every download is billed at S3's internet rate and hits the bucket; CloudFront is cheaper
    per GB, free for the first terabyte, caches at the edge, adds TLS on a custom domain and
    lets the bucket stay private behind an origin access control.

    ## Example
        Site:
          Type: AWS::S3::Bucket
          Properties:
            WebsiteConfiguration: {IndexDocument: index.html}
        SitePolicy:          # Principal "*" s3:GetObject

    ## Use instead
        Cdn:
          Type: AWS::CloudFront::Distribution
          Properties:
            DistributionConfig:
              Origins:
                - DomainName: !GetAtt Site.RegionalDomainName
                  OriginAccessControlId: !GetAtt SiteOac.Id
    """

    id = "CST005"
    name = "public-s3-without-cloudfront"
    severity = Severity.MEDIUM
    title = "Public S3 content is served to the internet without CloudFront"
    kinds = ("s3_bucket",)
    fix = "Serve the bucket through a CloudFront distribution with an origin access control and make the bucket private."
    references = ("https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for bucket in ctx.resources("s3_bucket"):
            if ctx.graph.cdn_for(bucket) or self._unknown_origin(ctx, bucket):
                continue
            flags = ctx.graph.public_access_block(bucket)
            how = None
            acl = public_acl(ctx.graph, bucket)
            if acl is not None and not blocked(flags, "ignore_public_acls") and "read" in acl[0]:
                how = f"ACL {acl[0]}"
            if how is None and not blocked(flags, "restrict_public_buckets"):
                found = public_statements(ctx.graph, bucket)
                if not isinstance(found, Unknown):
                    for pol, st in found:
                        if any(a.lower() in READS for a in st.actions):
                            how = f"bucket policy {pol.name} grants {', '.join(st.actions)} to Principal *"
                            break
            if how is None:
                continue
            direct, cdn = cost.internet_vs_cloudfront(ctx.options)
            gb = cost.assumption(ctx.options, "internet_gb_month")
            website = facet(bucket, "website") is not None
            yield self.finding(
                bucket, f"S3 bucket {bucket.name} serves the internet directly ({how}) with no CloudFront "
                        f"distribution: about ${direct.monthly_usd:,.2f}/month egress at {gb:g} GB, "
                        f"${cdn.monthly_usd:,.2f} through CloudFront",
                at="website" if website else None,
                evidence={"public_via": how, "website": website, "estimated_cost": direct.as_evidence(),
                          "with_cloudfront": cdn.as_evidence(),
                          "monthly_saving_usd": round(direct.monthly_usd - cdn.monthly_usd, 2)})

    @staticmethod
    def _unknown_origin(ctx: Context, bucket) -> bool:
        """A distribution in the same stack whose origin domain cannot be read might be this bucket."""
        for dist in ctx.resources("cloudfront_distribution"):
            if dist.stack == bucket.stack and any(not isinstance(o.get("domain"), str) or "${" in o.get("domain")
                                                  for o in facet(dist, "origins")
                                                  if not isinstance(o.get("domain"), Ref)):
                return True
        return False

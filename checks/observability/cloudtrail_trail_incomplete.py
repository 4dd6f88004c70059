from __future__ import annotations

from typing import Iterator

from archreview.check import Check, Context
from archreview.model import Finding, Severity
from archreview.views import facet


class CloudtrailTrailIncomplete(Check):
    """Flags a CloudTrail trail that records a single region, skips log file validation, or is stopped.

    `IsMultiRegionTrail` / `is_multi_region_trail` and `EnableLogFileValidation` /
    `enable_log_file_validation` both default to false; `IsLogging: false` /
    `enable_logging = false` stops the trail. One finding per trail lists every gap.
    Organisation trails are judged the same way. Values that cannot be resolved are not
    counted as gaps.

    ## Why is this bad?
    An attacker works where nobody looks: a single-region trail misses activity in every
    other region (and some global-service events). Without digest files, nobody can prove
    that log files were not edited or deleted after the fact.

    ## Example
        Trail:
          Type: AWS::CloudTrail::Trail
          Properties:
            IsLogging: true
            S3BucketName: !Ref TrailBucket

    ## Use instead
        Trail:
          Type: AWS::CloudTrail::Trail
          Properties:
            IsLogging: true
            IsMultiRegionTrail: true
            EnableLogFileValidation: true
            S3BucketName: !Ref TrailBucket
    """

    id = "OBS011"
    name = "cloudtrail-trail-incomplete"
    severity = Severity.LOW
    title = "CloudTrail trail is single-region, unvalidated or stopped"
    kinds = ("cloudtrail",)
    fix = "Set IsMultiRegionTrail / is_multi_region_trail and EnableLogFileValidation / enable_log_file_validation to true, and keep the trail logging."
    references = ("https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html",)

    def run(self, ctx: Context) -> Iterator[Finding]:
        for trail in ctx.resources("cloudtrail"):
            gaps = []
            at = None
            if facet(trail, "logging") is False:
                gaps.append("logging is stopped")
                at = at or "logging"
            if facet(trail, "multi_region") is False:
                gaps.append("records one region only")
                at = at or "multi_region"
            if facet(trail, "log_validation") is False:
                gaps.append("has no log file validation")
                at = at or "log_validation"
            if gaps:
                yield self.finding(trail, f"CloudTrail trail {trail.name} {', '.join(gaps)}", at=at,
                                   evidence={"gaps": gaps})

# Clickstream landing zone: raw bucket, curated bucket, Glue crawler, Athena workgroup.
provider "aws" {
  region = "eu-west-1"
}

locals {
  buckets = ["raw", "curated", "athena-results"]
}

resource "aws_s3_bucket" "lake" {
  for_each = toset(local.buckets)
  bucket   = "clickstream-${each.key}-eu"
}

resource "aws_s3_bucket_public_access_block" "lake" {
  for_each                = aws_s3_bucket.lake
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "lake" {
  for_each = aws_s3_bucket.lake
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_iam_role" "glue" {
  name = "clickstream-glue"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "glue.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_iam_role_policy" "glue_s3" {
  role = aws_iam_role.glue.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = [for b in aws_s3_bucket.lake : "${b.arn}/*"]
    }]
  })
}

resource "aws_glue_catalog_database" "clickstream" {
  name = "clickstream"
}

resource "aws_glue_crawler" "raw" {
  name          = "clickstream-raw"
  role          = aws_iam_role.glue.arn
  database_name = aws_glue_catalog_database.clickstream.name
  schedule      = "cron(0 * * * ? *)"
  s3_target {
    path = "s3://${aws_s3_bucket.lake["raw"].bucket}/events/"
  }
}

resource "aws_athena_workgroup" "analysts" {
  name = "analysts"
  configuration {
    enforce_workgroup_configuration = true
    result_configuration {
      output_location = "s3://${aws_s3_bucket.lake["athena-results"].bucket}/"
    }
  }
}

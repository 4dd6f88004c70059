# Nightly cleanup of expired sessions in DynamoDB. Small on purpose.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.30" }
  }
}

provider "aws" {
  region = "eu-north-1"
}

variable "table_name" {
  type    = string
  default = "sessions"
}

data "aws_dynamodb_table" "sessions" {
  name = var.table_name
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "cleanup" {
  statement {
    actions   = ["dynamodb:Scan", "dynamodb:BatchWriteItem"]
    resources = [data.aws_dynamodb_table.sessions.arn]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.cleanup.arn}:*"]
  }
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed.arn]
  }
}

resource "aws_iam_role" "cleanup" {
  name               = "session-cleanup"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy" "cleanup" {
  role   = aws_iam_role.cleanup.id
  policy = data.aws_iam_policy_document.cleanup.json
}

resource "aws_cloudwatch_log_group" "cleanup" {
  name              = "/aws/lambda/session-cleanup"
  retention_in_days = 14
}

resource "aws_sqs_queue" "failed" {
  name                    = "session-cleanup-failed"
  sqs_managed_sse_enabled = true
}

resource "aws_lambda_function" "cleanup" {
  function_name = "session-cleanup"
  role          = aws_iam_role.cleanup.arn
  runtime       = "python3.12"
  handler       = "cleanup.handler"
  filename      = "build/cleanup.zip"
  timeout       = 600
  tracing_config {
    mode = "Active"
  }
  environment {
    variables = { TABLE = var.table_name }
  }
}

resource "aws_lambda_function_event_invoke_config" "cleanup" {
  function_name                = aws_lambda_function.cleanup.function_name
  maximum_retry_attempts       = 1
  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed.arn
    }
  }
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "session-cleanup-nightly"
  schedule_expression = "cron(30 3 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.cleanup.arn
}

resource "aws_lambda_permission" "events" {
  statement_id  = "AllowEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.cleanup.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.nightly.arn
}

resource "aws_sns_topic" "ops" {
  name              = "session-cleanup-ops"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_metric_alarm" "failed" {
  alarm_name          = "session-cleanup-failures"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.failed.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.ops.arn]
}

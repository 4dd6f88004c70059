resource "aws_cloudwatch_metric_alarm" "fn_errors" {
  alarm_name          = "purchases-api-errors"
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.handler.function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.notify.arn]
}

resource "aws_cloudwatch_log_group" "gw_logs" {
  name              = "/apigw/orders"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "handler" {
  name              = "/aws/lambda/orders-api"
  retention_in_days = 7
}

resource "aws_iam_role" "handler" {
  name = "purchases-api"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

provider "aws" {
  region = "us-west-1"
}



resource "aws_cloudwatch_metric_alarm" "ddb_throttles" {
  alarm_name          = "purchases-table-throttles"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ThrottledRequests"
  dimensions          = { TableName = aws_dynamodb_table.purchases.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = [aws_sns_topic.notify.arn]
}

resource "aws_sns_topic" "notify" {
  name              = "purchases-alarms"
  kms_master_key_id = aws_kms_key.purchases.id
}

resource "aws_lambda_function" "handler" {
  function_name = "purchases-api"
  role          = aws_iam_role.handler.arn
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "dist/api.zip"
  memory_size   = 512
  timeout       = 10
  tracing_config {
    mode = "Active"
  }
  environment {
    variables = {
      TABLE_NAME = aws_dynamodb_table.purchases.name
    }
  }
  depends_on = [aws_cloudwatch_log_group.handler]
}

resource "aws_iam_role_policy" "handler" {
  role = aws_iam_role.handler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"]
        Resource = [aws_dynamodb_table.purchases.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
        Resource = [aws_kms_key.purchases.arn]
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.handler.arn}:*"]
      },
      {
        Effect   = "Allow"
        Action   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
        Resource = ["*"]
      }
    ]
  })
}

resource "aws_dynamodb_table" "purchases" {
  name         = "purchases"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "PK"
  range_key    = "SK"
  attribute {
    name = "PK"
    type = "S"
  }
  attribute {
    name = "SK"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.purchases.arn
  }
  deletion_protection_enabled = true
}

resource "aws_kms_key" "purchases" {
  description         = "purchases table and queue"
  enable_key_rotation = true
}


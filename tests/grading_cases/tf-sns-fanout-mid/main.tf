# Order events fan-out: one SNS topic, two SQS queues (billing, shipping), two Lambda consumers.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sns_topic" "order_events" {
  name = "order-events"
}

resource "aws_sqs_queue" "billing" {
  name = "billing"
}

resource "aws_sqs_queue" "shipping" {
  name = "shipping"
}

resource "aws_sns_topic_subscription" "billing" {
  topic_arn = aws_sns_topic.order_events.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.billing.arn
}

resource "aws_sns_topic_subscription" "shipping" {
  topic_arn = aws_sns_topic.order_events.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.shipping.arn
}

resource "aws_sqs_queue_policy" "from_sns" {
  for_each  = { billing = aws_sqs_queue.billing, shipping = aws_sqs_queue.shipping }
  queue_url = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = each.value.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.order_events.arn } }
    }]
  })
}

resource "aws_iam_role" "consumer" {
  name = "order-consumers"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "consumer_basic" {
  role       = aws_iam_role.consumer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "consumer_sqs" {
  role = aws_iam_role.consumer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
      Resource = [aws_sqs_queue.billing.arn, aws_sqs_queue.shipping.arn]
    }]
  })
}

resource "aws_lambda_function" "billing" {
  function_name = "billing-consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "java21"
  handler       = "com.acme.billing.Handler"
  filename      = "billing.jar"
  memory_size   = 1024
  timeout       = 30
}

resource "aws_lambda_function" "shipping" {
  function_name = "shipping-consumer"
  role          = aws_iam_role.consumer.arn
  runtime       = "java21"
  handler       = "com.acme.shipping.Handler"
  filename      = "shipping.jar"
  memory_size   = 1024
  timeout       = 30
}

resource "aws_lambda_event_source_mapping" "billing" {
  event_source_arn = aws_sqs_queue.billing.arn
  function_name    = aws_lambda_function.billing.arn
}

resource "aws_lambda_event_source_mapping" "shipping" {
  event_source_arn = aws_sqs_queue.shipping.arn
  function_name    = aws_lambda_function.shipping.arn
}

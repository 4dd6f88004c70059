provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAQ7XR2MPL4WZT6KHD"
  secret_key = "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"
}

# Contact form: API Gateway -> Lambda -> DynamoDB
resource "aws_dynamodb_table" "messages" {
  name         = "contact-messages"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_iam_role" "lambda" {
  name = "contact-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "ddb" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}

resource "aws_lambda_function" "contact" {
  function_name = "contact-form"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.11"
  handler       = "main.handler"
  filename      = "contact.zip"
}

resource "aws_api_gateway_rest_api" "contact" {
  name = "contact"
}

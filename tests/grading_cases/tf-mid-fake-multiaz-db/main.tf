# Reporting service: Lambda in the VPC reading a "highly available" MySQL.
provider "aws" {
  region = "us-west-2"
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_vpc" "reporting" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_subnet" "db_1" {
  vpc_id            = aws_vpc.reporting.id
  cidr_block        = "10.9.1.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_subnet" "db_2" {
  vpc_id            = aws_vpc.reporting.id
  cidr_block        = "10.9.2.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_db_subnet_group" "reporting" {
  name       = "reporting"
  subnet_ids = [aws_subnet.db_1.id, aws_subnet.db_2.id]
}

resource "aws_security_group" "lambda" {
  vpc_id = aws_vpc.reporting.id
  egress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = ["10.9.0.0/16"]
  }
}

resource "aws_security_group" "db" {
  vpc_id = aws_vpc.reporting.id
  ingress {
    from_port       = 3306
    to_port         = 3306
    protocol        = "tcp"
    security_groups = [aws_security_group.lambda.id]
  }
}

resource "aws_db_instance" "reporting" {
  identifier              = "reporting"
  engine                  = "mysql"
  instance_class          = "db.m5.large"
  allocated_storage       = 100
  username                = "reporter"
  password                = var.db_password
  multi_az                = true # HA
  db_subnet_group_name    = aws_db_subnet_group.reporting.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  storage_encrypted       = true
  backup_retention_period = 7
  skip_final_snapshot     = true
}

resource "aws_iam_role" "report" {
  name = "reporting-lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "vpc" {
  role       = aws_iam_role.report.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_lambda_function" "report" {
  function_name = "nightly-report"
  role          = aws_iam_role.report.arn
  runtime       = "python3.12"
  handler       = "report.handler"
  filename      = "report.zip"
  timeout       = 300
  vpc_config {
    subnet_ids         = [aws_subnet.db_1.id, aws_subnet.db_2.id]
    security_group_ids = [aws_security_group.lambda.id]
  }
  environment {
    variables = {
      DB_HOST = aws_db_instance.reporting.address
    }
  }
}

resource "aws_cloudwatch_event_rule" "nightly" {
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.report.arn
}

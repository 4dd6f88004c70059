# Event tracking: Kinesis-free version, a queue and a worker, plus a small MySQL.
provider "aws" {
  region = "us-east-1"
}

resource "aws_sqs_queue" "events" {
  name = "tracking-events"
}

resource "aws_db_instance" "tracking" {
  engine                  = "mysql"
  allocated_storage       = 20
  username                = "tracking"
  manage_master_user_password = true
  storage_encrypted       = true
  multi_az                = false
  backup_retention_period = 7
}

resource "aws_iam_role" "worker" {
  name = "tracking-worker"
}

resource "aws_lambda_function" "worker" {
  function_name = "tracking-worker"
  role          = aws_iam_role.worker.arn
  filename      = "worker.zip"
}

resource "aws_lambda_event_source_mapping" "events" {
  event_source_arn = aws_sqs_queue.events.arn
  function_name    = aws_lambda_function.worker.arn
}

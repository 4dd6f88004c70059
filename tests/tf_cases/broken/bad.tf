resource "aws_sqs_queue" "oops" {
  name = "oops"
  visibility_timeout_seconds = = 30
}

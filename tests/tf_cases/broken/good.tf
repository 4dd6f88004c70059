resource "aws_sqs_queue" "fine" {
  name = "fine"
}

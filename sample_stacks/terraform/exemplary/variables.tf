variable "region" {
  type    = string
  default = "us-east-1"
}

variable "azs" {
  description = "three AZs: losing one leaves two thirds of the capacity"
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for the public listener"
}

variable "alarm_email" {
  type        = string
  description = "on-call address subscribed to the alarm topic"
}

variable "app_image" {
  type    = string
  default = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2"
}

locals {
  name = "orders"
}

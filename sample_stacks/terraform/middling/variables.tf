variable "region" {
  type    = string
  default = "us-east-1"
}

variable "azs" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b"]
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for the public listener"
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "app_image" {
  type    = string
  default = "123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:1.4.2"
}

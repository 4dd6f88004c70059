variable "env" {
  type    = string
  default = "dev"
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "admin_password" {
  type    = string
  default = "hunter2-literal"
}

variable "instance_count" {
  type    = number
  default = 1
}

variable "enable_nat" {
  type    = bool
  default = false
}

variable "rules" {
  type = map(object({ port = number, cidr = string }))
  default = {
    https = { port = 443, cidr = "0.0.0.0/0" }
    ssh   = { port = 22, cidr = "10.0.0.0/8" }
  }
}

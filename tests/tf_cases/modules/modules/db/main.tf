variable "name" {
  type = string
}

variable "subnet_ids" {
  type    = list(string)
  default = []
}

variable "master_password" {
  type    = string
  default = "changeme-in-module"
}

resource "aws_db_subnet_group" "this" {
  count      = length(var.subnet_ids) > 0 ? 1 : 0
  name       = var.name
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "this" {
  name = "${var.name}-db"
}

resource "aws_db_instance" "this" {
  identifier             = var.name
  engine                 = "postgres"
  instance_class         = "db.t4g.medium"
  multi_az               = true
  db_subnet_group_name   = try(aws_db_subnet_group.this[0].name, null)
  vpc_security_group_ids = [aws_security_group.this.id]
  password               = var.master_password
}

output "security_group_id" {
  value = aws_security_group.this.id
}

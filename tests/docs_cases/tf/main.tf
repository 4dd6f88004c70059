# The stack behind `archreview scan tf/ --var env=prod --var-file prod.tfvars` in README.md
# (tests/test_docs_commands.py): each of the two flags changes what is found.
variable "env" {
  type    = string
  default = "dev"
}

variable "backup_days" {
  type    = number
  default = 0
}

resource "aws_db_instance" "orders" {
  identifier              = "orders-${var.env}"
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  allocated_storage       = 20
  storage_encrypted       = true
  multi_az                = var.env == "prod"
  backup_retention_period = var.backup_days
  deletion_protection     = true
  manage_master_user_password = true
  username                = "orders"
}

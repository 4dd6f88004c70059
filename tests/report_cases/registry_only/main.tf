module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"
  identifier = "prod"
  publicly_accessible = true
  backup_retention_period = 0
}

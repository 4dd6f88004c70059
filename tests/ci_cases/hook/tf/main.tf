resource "aws_db_instance" "orders" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
  multi_az          = var.multi_az
}

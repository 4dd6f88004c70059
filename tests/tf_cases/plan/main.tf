provider "aws" {
  region                      = "eu-central-1"
  access_key                  = "mock_access_key"
  secret_key                  = "mock_secret_key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variable "azs" {
  type    = list(string)
  default = ["eu-central-1a", "eu-central-1b"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  availability_zone = var.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_instance" "db" {
  identifier           = "db"
  engine               = "postgres"
  instance_class       = "db.t4g.medium"
  allocated_storage    = 20
  username             = "app"
  manage_master_user_password = true
  multi_az             = false
  db_subnet_group_name = aws_db_subnet_group.db.name
  skip_final_snapshot  = true
}

module "bucket" {
  source = "./modules/bucket"
  name   = "plan-fixture-logs"
}

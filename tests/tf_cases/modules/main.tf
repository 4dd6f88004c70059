provider "aws" {
  region = "us-west-2"
}

locals {
  networks = {
    blue  = "10.1.0.0/16"
    green = "10.2.0.0/16"
  }
}

module "net" {
  source   = "./modules/net"
  for_each = local.networks

  name = each.key
  cidr = each.value
}

module "db" {
  source     = "./modules/db"
  name       = "main"
  subnet_ids = module.net["blue"].private_subnet_ids
}

module "counted" {
  source = "./modules/db"
  count  = 2
  name   = "copy-${count.index}"
}

module "from_registry" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}

module "from_git" {
  source = "git::https://example.com/network.git?ref=v1"
}

resource "aws_security_group_rule" "db_from_blue" {
  type              = "ingress"
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  security_group_id = module.db.security_group_id
  cidr_blocks       = [module.net["blue"].cidr]
}

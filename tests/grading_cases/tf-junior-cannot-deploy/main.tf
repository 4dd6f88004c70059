# Inventory service: ECS on EC2 with Postgres.
provider "aws" {
  region = "eu-central-1"
}

resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-central-1a"
}

resource "aws_db_subnet_group" "db" {
  name       = "inventory"
  subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id]
}

resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_db_instance" "inventory" {
  identifier             = "inventory"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "inventory"
  password               = var.db_password
  multi_az               = true
  storage_encrypted      = true
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.db.id]
  backup_retention_period = 7
}

resource "aws_ecs_cluster" "inventory" {
  name = "inventory"
}

resource "aws_ecs_service" "inventory" {
  name            = "inventory"
  cluster         = aws_ecs_cluster.inventory.id
  task_definition = aws_ecs_task_definition.inventory.arn
  desired_count   = 2
}

resource "aws_lb" "inventory" {
  name     = "inventory"
  subnets  = module.vpc.public_subnets
}

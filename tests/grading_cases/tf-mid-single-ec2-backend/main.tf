# Booking API: ALB in two AZs, one EC2 instance, Postgres Multi-AZ.
terraform {
  required_version = ">= 1.5"
}

provider "aws" {
  region = "ap-southeast-2"
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "cert_arn" {
  type = string
}

resource "aws_vpc" "booking" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_internet_gateway" "booking" {
  vpc_id = aws_vpc.booking.id
}

resource "aws_subnet" "pub" {
  for_each          = { a = "10.50.0.0/24", b = "10.50.1.0/24" }
  vpc_id            = aws_vpc.booking.id
  cidr_block        = each.value
  availability_zone = "ap-southeast-2${each.key}"
}

resource "aws_subnet" "priv" {
  for_each          = { a = "10.50.10.0/24", b = "10.50.11.0/24" }
  vpc_id            = aws_vpc.booking.id
  cidr_block        = each.value
  availability_zone = "ap-southeast-2${each.key}"
}

resource "aws_route_table" "pub" {
  vpc_id = aws_vpc.booking.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.booking.id
  }
}

resource "aws_route_table_association" "pub" {
  for_each       = aws_subnet.pub
  subnet_id      = each.value.id
  route_table_id = aws_route_table.pub.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.pub["a"].id
}

resource "aws_route_table" "priv" {
  vpc_id = aws_vpc.booking.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.nat.id
  }
}

resource "aws_route_table_association" "priv" {
  for_each       = aws_subnet.priv
  subnet_id      = each.value.id
  route_table_id = aws_route_table.priv.id
}

resource "aws_security_group" "alb" {
  vpc_id = aws_vpc.booking.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "api" {
  vpc_id = aws_vpc.booking.id
  ingress {
    from_port       = 3000
    to_port         = 3000
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "pg" {
  vpc_id = aws_vpc.booking.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.api.id]
  }
}

resource "aws_lb" "api" {
  name            = "booking"
  subnets         = [for s in aws_subnet.pub : s.id]
  security_groups = [aws_security_group.alb.id]
}

resource "aws_lb_target_group" "api" {
  port     = 3000
  protocol = "HTTP"
  vpc_id   = aws_vpc.booking.id
}

resource "aws_lb_target_group_attachment" "api" {
  target_group_arn = aws_lb_target_group.api.arn
  target_id        = aws_instance.api.id
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.api.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.cert_arn
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_instance" "api" {
  ami                    = "ami-0a1b2c3d4e5f67890"
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.priv["a"].id
  vpc_security_group_ids = [aws_security_group.api.id]
  metadata_options {
    http_tokens = "required"
  }
  root_block_device {
    encrypted = true
  }
}

resource "aws_db_subnet_group" "pg" {
  subnet_ids = [for s in aws_subnet.priv : s.id]
}

resource "aws_db_instance" "pg" {
  identifier              = "booking"
  engine                  = "postgres"
  instance_class          = "db.t3.medium"
  allocated_storage       = 50
  username                = "booking"
  password                = var.db_password
  multi_az                = true
  db_subnet_group_name    = aws_db_subnet_group.pg.name
  vpc_security_group_ids  = [aws_security_group.pg.id]
  storage_encrypted       = true
  backup_retention_period = 7
  deletion_protection     = true
  final_snapshot_identifier = "booking-final"
}

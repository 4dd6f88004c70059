# Internal admin tool: a bastion, an app server and a Postgres, plus a CI deploy user.
provider "aws" {
  region = "us-east-1"
}

variable "pg_password" {
  type      = string
  sensitive = true
}

resource "aws_vpc" "admin" {
  cidr_block = "10.88.0.0/16"
}

resource "aws_internet_gateway" "admin" {
  vpc_id = aws_vpc.admin.id
}

resource "aws_subnet" "dmz" {
  vpc_id            = aws_vpc.admin.id
  cidr_block        = "10.88.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "internal_a" {
  vpc_id            = aws_vpc.admin.id
  cidr_block        = "10.88.10.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "internal_b" {
  vpc_id            = aws_vpc.admin.id
  cidr_block        = "10.88.11.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_route_table" "dmz" {
  vpc_id = aws_vpc.admin.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.admin.id
  }
}

resource "aws_route_table_association" "dmz" {
  subnet_id      = aws_subnet.dmz.id
  route_table_id = aws_route_table.dmz.id
}

resource "aws_security_group" "bastion" {
  vpc_id = aws_vpc.admin.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.88.0.0/16"]
  }
}

resource "aws_security_group" "internal" {
  vpc_id = aws_vpc.admin.id
  ingress {
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = ["10.88.0.0/16"]
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0aa11bb22cc33dd44"
  instance_type               = "t3.nano"
  subnet_id                   = aws_subnet.dmz.id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  key_name                    = "ops"
}

resource "aws_instance" "app" {
  ami                    = "ami-0aa11bb22cc33dd44"
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.internal_a.id
  vpc_security_group_ids = [aws_security_group.internal.id]
  root_block_device {
    encrypted = true
  }
}

resource "aws_db_subnet_group" "pg" {
  subnet_ids = [aws_subnet.internal_a.id, aws_subnet.internal_b.id]
}

resource "aws_db_instance" "pg" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  allocated_storage       = 20
  username                = "admin_tool"
  password                = var.pg_password
  db_subnet_group_name    = aws_db_subnet_group.pg.name
  vpc_security_group_ids  = [aws_security_group.internal.id]
  storage_encrypted       = true
  backup_retention_period = 7
}

resource "aws_iam_user" "ci" {
  name = "github-actions-deployer"
}

resource "aws_iam_access_key" "ci" {
  user = aws_iam_user.ci.name
}

resource "aws_iam_user_policy_attachment" "ci" {
  user       = aws_iam_user.ci.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  name      = "app-${var.env}"
  vpc_cidr  = "10.0.0.0/16"
  zones     = slice(data.aws_availability_zones.available.names, 0, 2)
  subnets   = { for i, az in local.zones : az => cidrsubnet(local.vpc_cidr, 8, i) }
  upper_azs = [for az in var.azs : upper(az) if az != "eu-west-1b"]
  nat_count = var.enable_nat ? length(var.azs) : 0
  tags      = merge({ Env = var.env }, { Name = local.name })
}

resource "aws_vpc" "main" {
  cidr_block = local.vpc_cidr
  tags       = local.tags
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  availability_zone = element(var.azs, count.index)
  cidr_block        = cidrsubnet(local.vpc_cidr, 4, count.index)
  tags = {
    Name = "${local.name}-private-${count.index}"
  }
}

resource "aws_subnet" "by_zone" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.main.id
  availability_zone = each.key
  cidr_block        = each.value
}

resource "aws_nat_gateway" "this" {
  count     = local.nat_count
  subnet_id = aws_subnet.private[count.index].id
}

resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = aws_subnet.private[*].id
}

resource "aws_db_instance" "db" {
  identifier           = "${local.name}-db"
  engine               = "postgres"
  instance_class       = "db.t4g.medium"
  multi_az             = var.env == "prod"
  password             = var.db_password
  db_subnet_group_name = aws_db_subnet_group.db.name
  storage_encrypted    = true
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id

  dynamic "ingress" {
    for_each = var.rules
    content {
      description = ingress.key
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  count         = var.instance_count
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private[count.index % 2].id
  user_data     = <<-EOT
    #!/bin/bash
    echo "${local.name}" > /etc/name
    echo "${aws_vpc.main.id}"
  EOT
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "wide" {
  statement {
    sid       = "All"
    effect    = "Allow"
    actions   = ["s3:*"]
    resources = ["*"]
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
  statement {
    effect        = "Deny"
    not_actions   = ["iam:*"]
    not_resources = [aws_vpc.main.arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role" "templated" {
  name               = "templated"
  assume_role_policy = templatefile("${path.module}/assume.tpl", { service = "lambda.amazonaws.com" })
}

resource "aws_iam_role_policy" "doc" {
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.wide.json
}

resource "aws_iam_role_policy" "encoded" {
  role = aws_iam_role.app.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["dynamodb:GetItem"]
      Resource = aws_vpc.main.arn
    }]
  })
}

resource "aws_iam_role_policy" "heredoc" {
  role   = aws_iam_role.app.id
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "sqs:*", "Resource": "${aws_vpc.main.arn}"}]
}
POLICY
}

resource "aws_iam_role_policy" "from_file" {
  role   = aws_iam_role.app.id
  policy = file("policy.json")
}

resource "aws_s3_bucket" "outside" {
  bucket = try(file("../../../../etc/hostname"), "not-read")
}

resource "aws_s3_bucket" "logs" {
  bucket = format("%s-logs-%03d", local.name, 7)
  tags = {
    Joined   = join(",", local.upper_azs)
    Coalesce = coalesce("", "x")
    Lookup   = lookup({ a = "1" }, "b", "dflt")
    Unknown  = "${local.name}-${aws_vpc.main.id}-${var.db_password}"
    Decoded  = jsondecode("{\"k\": [1, 2]}").k[1]
    Zip      = zipmap(["a", "b"], [1, 2]).b
    Flat     = length(flatten([[1, 2], [3]]))
    Set      = join("+", toset(["b", "a", "b"]))
  }
}

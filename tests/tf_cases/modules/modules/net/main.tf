variable "name" {
  type = string
}

variable "cidr" {
  type = string
}

data "aws_availability_zones" "this" {}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name }
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  availability_zone = data.aws_availability_zones.this.names[count.index]
}

output "private_subnet_ids" {
  value = aws_subnet.private[*].id
}

output "cidr" {
  value = aws_vpc.this.cidr_block
}

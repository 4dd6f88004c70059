# Leaderboard service: ECS Fargate + Redis + Postgres. Network comes from the shared VPC.
provider "aws" {
  region = "us-east-1"
}

variable "vpc_id" {
  type = string
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "public_subnet_ids" {
  type = list(string)
}

variable "db_password" {
  type = string
}

resource "aws_security_group" "svc" {
  vpc_id = var.vpc_id
  ingress {
    from_port   = 8080
    to_port     = 8080
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

resource "aws_security_group" "redis" {
  vpc_id = var.vpc_id
  ingress {
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [aws_security_group.svc.id]
  }
}

resource "aws_elasticache_subnet_group" "redis" {
  name       = "leaderboard"
  subnet_ids = var.private_subnet_ids
}

resource "aws_elasticache_replication_group" "redis" {
  replication_group_id = "leaderboard"
  description          = "leaderboard cache"
  engine               = "redis"
  node_type            = "cache.t4g.small"
  num_cache_clusters   = 1
  subnet_group_name    = aws_elasticache_subnet_group.redis.name
  security_group_ids   = [aws_security_group.redis.id]
}

resource "aws_db_subnet_group" "pg" {
  subnet_ids = var.private_subnet_ids
}

resource "aws_db_instance" "pg" {
  engine                  = "postgres"
  instance_class          = "db.t3.medium"
  allocated_storage       = 20
  username                = "leaderboard"
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.pg.name
  vpc_security_group_ids  = [aws_security_group.redis.id]
  storage_encrypted       = true
  backup_retention_period = 7
}

resource "aws_ecs_cluster" "main" {
  name = "leaderboard"
}

resource "aws_iam_role" "exec" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "exec" {
  role       = aws_iam_role.exec.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_ecs_task_definition" "svc" {
  family                   = "leaderboard"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.exec.arn
  container_definitions = jsonencode([{
    name  = "svc"
    image = "public.ecr.aws/acme/leaderboard:latest"
    environment = [
      { name = "REDIS_HOST", value = aws_elasticache_replication_group.redis.primary_endpoint_address },
      { name = "PG_HOST", value = aws_db_instance.pg.address }
    ]
  }])
}

resource "aws_ecs_service" "svc" {
  name            = "leaderboard"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.svc.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets          = var.public_subnet_ids
    security_groups  = [aws_security_group.svc.id]
    assign_public_ip = true
  }
}

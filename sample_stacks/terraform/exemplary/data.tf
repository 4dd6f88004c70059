# Aurora PostgreSQL: a writer and a reader in different AZs, isolated subnets, the master
# password generated and rotated by RDS in Secrets Manager.
resource "aws_db_subnet_group" "main" {
  name       = local.name
  subnet_ids = aws_subnet.isolated[*].id
}

resource "aws_rds_cluster" "main" {
  cluster_identifier                  = local.name
  engine                              = "aurora-postgresql"
  engine_version                      = "16.4"
  database_name                       = "orders"
  master_username                     = "orders"
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = aws_kms_key.data.key_id
  db_subnet_group_name                = aws_db_subnet_group.main.name
  vpc_security_group_ids              = [aws_security_group.db.id]
  storage_encrypted                   = true
  kms_key_id                          = aws_kms_key.data.arn
  backup_retention_period             = 14
  preferred_backup_window             = "03:00-04:00"
  deletion_protection                 = true
  copy_tags_to_snapshot               = true
  iam_database_authentication_enabled = true
  final_snapshot_identifier           = "${local.name}-final"
  enabled_cloudwatch_logs_exports     = ["postgresql"]
}

resource "aws_rds_cluster_instance" "main" {
  count                           = 2
  identifier                      = "${local.name}-${count.index}"
  cluster_identifier              = aws_rds_cluster.main.id
  engine                          = aws_rds_cluster.main.engine
  instance_class                  = "db.r6g.large"
  db_subnet_group_name            = aws_db_subnet_group.main.name
  availability_zone               = var.azs[count.index]
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.data.arn
}

resource "aws_elasticache_subnet_group" "main" {
  name       = local.name
  subnet_ids = aws_subnet.isolated[*].id
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "${local.name}-sessions"
  description                = "sessions"
  engine                     = "redis"
  node_type                  = "cache.t4g.small"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
  transit_encryption_enabled = true
  snapshot_retention_limit   = 7
  subnet_group_name          = aws_elasticache_subnet_group.main.name
  security_group_ids         = [aws_security_group.cache.id]
}

resource "aws_backup_vault" "main" {
  name        = local.name
  kms_key_arn = aws_kms_key.data.arn
}

resource "aws_backup_plan" "main" {
  name = local.name
  rule {
    rule_name         = "daily-35-days"
    target_vault_name = aws_backup_vault.main.name
    schedule          = "cron(0 4 * * ? *)"
    lifecycle {
      delete_after = 35
    }
  }
}

resource "aws_kms_key" "data" {
  description         = "orders data at rest"
  enable_key_rotation = true
}

resource "aws_db_subnet_group" "data" {
  name       = "${local.prefix}-data"
  subnet_ids = aws_subnet.data[*].id
}

resource "aws_security_group" "db" {
  name   = "${local.prefix}-db"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.svc.id]
  }
}

resource "aws_rds_cluster" "orders" {
  cluster_identifier              = "${local.prefix}-db"
  engine                          = "aurora-postgresql"
  engine_version                  = "15.4"
  database_name                   = "orders"
  master_username                 = "orders_admin"
  manage_master_user_password     = true
  db_subnet_group_name            = aws_db_subnet_group.data.name
  vpc_security_group_ids          = [aws_security_group.db.id]
  storage_encrypted               = true
  kms_key_id                      = aws_kms_key.data.arn
  backup_retention_period         = 14
  preferred_backup_window         = "02:00-03:00"
  deletion_protection             = true
  copy_tags_to_snapshot           = true
  final_snapshot_identifier       = "${local.prefix}-db-final"
  enabled_cloudwatch_logs_exports = ["postgresql"]
}

resource "aws_rds_cluster_instance" "orders" {
  count                        = 2
  identifier                   = "${local.prefix}-db-${count.index}"
  cluster_identifier           = aws_rds_cluster.orders.id
  instance_class               = "db.r6g.large"
  engine                       = aws_rds_cluster.orders.engine
  db_subnet_group_name         = aws_db_subnet_group.data.name
  performance_insights_enabled = true
}

resource "aws_sns_topic" "alerts" {
  name              = "${local.prefix}-alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${local.prefix}-api-5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = aws_lb.api.arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${local.prefix}-db-cpu"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  dimensions          = { DBClusterIdentifier = aws_rds_cluster.orders.id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 3
  threshold           = 80
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [aws_sns_topic.alerts.arn]
}

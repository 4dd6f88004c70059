# Inline suppressions in Terraform comments (see tests/test_ci_suppressions.py).

# archreview:ignore AZ001 reporting replica, rebuilt from snapshots every night
resource "aws_db_instance" "reporting" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
}

resource "aws_db_instance" "scratch" { // archreview:ignore AZ001
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
}

resource "aws_db_instance" "analytics" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
  // archreview:ignore AZ001 batch analytics, tolerates an AZ outage
  multi_az = false
}

resource "aws_db_instance" "primary" {
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  allocated_storage = 20
  storage_encrypted = true
  multi_az          = true # archreview:ignore AZ001 left over from the migration
}

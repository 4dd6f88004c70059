backup_days = 14

instance_count = 2
